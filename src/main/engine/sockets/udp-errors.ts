import { maxDatagramBytesIPv4, maxDatagramBytesIPv6 } from '@shared/contract/udp';
import { ErrorCode, SockscopeError } from '@shared/errors';
import { socketError } from './socket-errors';

// What a UDP socket's OS error means, in words, with the OS code beside it. The
// same code means different things by the call that failed (EACCES on bind is a
// privileged port, on send a broadcast address without SO_BROADCAST), so the
// meaning is picked by what the session was doing.

export type UdpAction = 'bind' | 'send' | 'receive' | 'connect' | 'join' | 'leave' | 'option';

interface Meaning {
  code: ErrorCode;
  words: (where: string) => string;
}

type MeaningTable = Partial<Record<string, Meaning>>;

const byAction: Record<UdpAction, MeaningTable> = {
  bind: {
    EADDRINUSE: {
      code: ErrorCode.socketAddressInUse,
      words: (where) =>
        `Address in use: another socket is bound to ${where} (turn on "Reuse address" on every socket that shares it)`,
    },
    EADDRNOTAVAIL: {
      code: ErrorCode.socketAddressNotAvailable,
      words: (where) =>
        `Address not available: no interface on this machine has the address of ${where}`,
    },
    EACCES: {
      code: ErrorCode.socketPermissionDenied,
      words: (where) => `Permission denied binding ${where}: ports below 1024 need privileges`,
    },
    EINVAL: {
      code: ErrorCode.socketFailed,
      words: (where) => `Cannot bind ${where}: the address is not valid for this socket`,
    },
  },
  send: {
    EACCES: {
      code: ErrorCode.socketPermissionDenied,
      words: (where) =>
        `Permission denied sending to ${where}: it is a broadcast address and the socket's Broadcast option (SO_BROADCAST) is off`,
    },
    EMSGSIZE: {
      code: ErrorCode.socketMessageTooLong,
      words: (where) =>
        `Message too long for ${where}: the datagram is larger than UDP carries (${maxDatagramBytesIPv4} bytes over IPv4, ${maxDatagramBytesIPv6} over IPv6) or than the path allows`,
    },
    ECONNREFUSED: {
      code: ErrorCode.socketRefused,
      words: (where) =>
        `Refused: nothing is listening at ${where} (its host answered an earlier datagram with ICMP port unreachable)`,
    },
    EADDRNOTAVAIL: {
      code: ErrorCode.socketAddressNotAvailable,
      words: (where) =>
        `Address not available: this socket cannot reach ${where} from its local address`,
    },
    EINVAL: {
      code: ErrorCode.socketFailed,
      words: (where) =>
        `Cannot send to ${where}: the address does not suit this socket (an IPv4 socket cannot reach an IPv6 address, nor a link-local address without its scope)`,
    },
    EAFNOSUPPORT: {
      code: ErrorCode.socketFailed,
      words: (where) =>
        `Cannot send to ${where}: an IPv4 socket cannot reach an IPv6 address (bind to :: instead)`,
    },
  },
  receive: {
    ECONNREFUSED: {
      code: ErrorCode.socketRefused,
      words: (where) =>
        `Refused: nothing is listening at ${where} (its host answered with ICMP port unreachable)`,
    },
  },
  connect: {},
  join: {
    EADDRINUSE: {
      code: ErrorCode.multicastFailed,
      words: (where) => `Already a member of ${where}`,
    },
    EADDRNOTAVAIL: {
      code: ErrorCode.multicastFailed,
      words: (where) =>
        `Cannot join ${where}: no interface has that address, or the group and interface are of different families`,
    },
    ENODEV: {
      code: ErrorCode.multicastFailed,
      words: (where) => `Cannot join ${where}: no such interface, or it cannot do multicast`,
    },
    EINVAL: {
      code: ErrorCode.multicastFailed,
      words: (where) =>
        `Cannot join ${where}: the group, source or interface does not suit this socket's family`,
    },
    ENOBUFS: {
      code: ErrorCode.multicastFailed,
      words: (where) =>
        `Cannot join ${where}: the system's limit of memberships per socket is reached`,
    },
  },
  leave: {
    EADDRNOTAVAIL: {
      code: ErrorCode.multicastFailed,
      words: (where) => `Not a member of ${where}`,
    },
    EINVAL: {
      code: ErrorCode.multicastFailed,
      words: (where) => `Cannot leave ${where}: not a member, or the interface does not match`,
    },
  },
  option: {
    EADDRNOTAVAIL: {
      code: ErrorCode.socketAddressNotAvailable,
      words: (where) => `Cannot use ${where}: no interface on this machine has that address`,
    },
    EINVAL: {
      code: ErrorCode.socketFailed,
      words: (where) => `Cannot set ${where}: the value does not suit this socket's family`,
    },
  },
};

/** A UDP socket error as a SockscopeError: what failed, why, and the OS code. */
export function udpError(error: unknown, action: UdpAction, where: string): SockscopeError {
  if (error instanceof SockscopeError) return error;
  const nodeError = error as NodeJS.ErrnoException;
  const osCode = typeof nodeError?.code === 'string' ? nodeError.code : 'UNKNOWN';
  const meaning = byAction[action][osCode];
  if (meaning === undefined) return socketError(error, where);
  const details: Record<string, unknown> = { osCode, action, where };
  if (typeof nodeError?.syscall === 'string') details.syscall = nodeError.syscall;
  return new SockscopeError(meaning.code, `${meaning.words(where)} (${osCode})`, details);
}
