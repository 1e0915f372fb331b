import type {
  CommandInput,
  NetworkInterfaceAddress,
  SocketAddress,
  UdpInfo,
  UdpPeer,
} from '@shared/contract';
import { api } from '../api';
import { failureOf } from '../lib/failure';
import type { Failure } from '../lib/failure';
import { composer } from './composer.svelte';
import { packetLog } from './packet-log.svelte';
import { sessions } from './sessions.svelte';

/** The bind form, as typed. */
export interface BindForm {
  localAddress: string;
  localPort: string;
  ipv6Only: boolean;
  reuseAddress: boolean;
  recvBufferBytes: string;
  sendBufferBytes: string;
  ttl: string;
  broadcast: boolean;
  multicastTtl: string;
  multicastLoopback: boolean;
  multicastInterface: string;
  peerHost: string;
  peerPort: string;
}

/** Where the composer's datagrams go, and how a file is cut into them, per socket. */
export interface SendtoForm {
  host: string;
  port: string;
  datagramBytes: string;
  pacingMs: string;
}

export interface MembershipForm {
  group: string;
  source: string;
  interface: string;
}

type UdpAction = 'udp.disconnect' | 'udp.leaveAll' | 'session.close';

/** The UDP screen: its sockets (kept in the sessions state), forms and interfaces. */
class UdpScreen {
  /** The shown socket's id, or null for the "new socket" form. */
  activeId = $state<string | null>(null);
  binding = $state(false);
  failure = $state<Failure | null>(null);
  interfaces = $state<NetworkInterfaceAddress[]>([]);
  form = $state<BindForm>({
    localAddress: '0.0.0.0',
    localPort: '0',
    ipv6Only: false,
    reuseAddress: false,
    recvBufferBytes: '',
    sendBufferBytes: '',
    ttl: '',
    broadcast: false,
    multicastTtl: '',
    multicastLoopback: true,
    multicastInterface: '',
    peerHost: '',
    peerPort: '',
  });
  private sendto = $state<Record<string, SendtoForm>>({});
  private membership = $state<Record<string, MembershipForm>>({});

  get active(): UdpInfo | null {
    const session = this.activeId === null ? undefined : sessions.byId[this.activeId];
    return session?.kind === 'udp' ? session : null;
  }

  list(): UdpInfo[] {
    return sessions.order
      .map((id) => sessions.byId[id])
      .filter((session): session is UdpInfo => session?.kind === 'udp');
  }

  /** Gives a socket its own sendto and membership fields (run outside derivations). */
  ensureForms(sessionId: string): void {
    this.sendto[sessionId] ??= {
      host: '127.0.0.1',
      port: '',
      datagramBytes: '1024',
      pacingMs: '0',
    };
    this.membership[sessionId] ??= { group: '', source: '', interface: '' };
  }

  /** The sendto fields of one socket (each keeps its own); null until ensured. */
  sendtoOf(sessionId: string): SendtoForm | null {
    return this.sendto[sessionId] ?? null;
  }

  membershipOf(sessionId: string): MembershipForm | null {
    return this.membership[sessionId] ?? null;
  }

  async loadInterfaces(): Promise<void> {
    try {
      this.interfaces = await api.call('udp.interfaces', {});
    } catch (error) {
      this.failure = failureOf(error);
    }
  }

  async bind(args: CommandInput<'udp.bind'>): Promise<UdpInfo | null> {
    this.binding = true;
    this.failure = null;
    try {
      const session = await api.call('udp.bind', args);
      sessions.upsert(session);
      this.activeId = session.id;
      return session;
    } catch (error) {
      this.failure = failureOf(error);
      return null;
    } finally {
      this.binding = false;
    }
  }

  /** Runs a socket command; its failure lands in `failure` instead of being thrown. */
  async run<K extends 'udp.setOptions' | 'udp.join' | 'udp.leave' | 'udp.connect'>(
    command: K,
    args: CommandInput<K>,
  ): Promise<boolean> {
    this.failure = null;
    try {
      sessions.upsert(await api.call(command, args as never));
      return true;
    } catch (error) {
      this.failure = failureOf(error);
      return false;
    }
  }

  async act(command: UdpAction, sessionId: string): Promise<void> {
    this.failure = null;
    try {
      sessions.upsert(await api.call(command, { sessionId }));
    } catch (error) {
      this.failure = failureOf(error);
    }
  }

  async remove(sessionId: string): Promise<void> {
    await sessions.remove(sessionId);
    composer.drop(sessionId);
    if (this.activeId === sessionId) this.activeId = this.list().at(-1)?.id ?? null;
  }

  /** Reply to sender: the peer becomes this socket's destination. */
  replyTo(sessionId: string, peer: SocketAddress): void {
    this.ensureForms(sessionId);
    const form = this.sendto[sessionId]!;
    form.host = peer.address;
    form.port = String(peer.port);
  }

  /** Shows only this peer's datagrams (and this socket's) in the packet log. */
  showInLog(sessionId: string, peer: UdpPeer): void {
    packetLog.sessionFilter = sessionId;
    packetLog.peerFilter = { address: peer.address, port: peer.port };
    packetLog.refilter();
  }
}

export const udp = new UdpScreen();
