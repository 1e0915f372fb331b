import type { TcpClientInfo, TcpServerInfo } from '@shared/contract';

/**
 * The session kinds whose screens show the heartbeat and reply-rule panels: each
 * kind joins this union once its engine session implements `Automatable`.
 */
export type AutomatedSession = TcpClientInfo | TcpServerInfo;

/** Only a TCP client dials again by itself; other kinds mark or close a dead peer. */
export function canReconnect(session: AutomatedSession): boolean {
  return session.kind === 'tcp-client';
}
