import { ErrorCode } from '@shared/errors';

// What the engine reports, worded by the renderer in both languages: errors by
// their code (and OS code or variant), log events by their kind and params, and
// the field problems the contract's schemas and codecs give. English shows the
// engine's own words, which carry every specific; the English column here is what
// each key means (and what a translation must say). The engine's English message
// stays the fallback for anything not listed.

/** Codes the renderer's own transports raise besides the engine's table. */
export const transportErrorCodes = [
  'ERR_DISCONNECTED',
  'ERR_DISCONNECTED.noToken',
  'ERR_DISCONNECTED.host',
  'ERR_TOO_MANY_PAGES',
  'ERR_FRAME_TOO_LARGE',
] as const;

export const engineEn = {
  // Errors: `CODE`, or `CODE.OSCODE` / `CODE.variant` where the words differ.
  [ErrorCode.invalidArgs]: 'Invalid input: {field}: {problem}',
  'ERR_INVALID_ARGS.unencodable':
    '{character} at position {position} cannot be written in {charset}',
  'ERR_INVALID_ARGS.evicted': 'Record {id} was evicted to keep the log within its byte budget',
  'ERR_INVALID_ARGS.no-record': 'No record with id {id}',
  [ErrorCode.unknownCommand]: 'The engine does not know this command',
  [ErrorCode.forbiddenSender]: "Refused: the call did not come from the app's own window",
  [ErrorCode.engineClosed]: 'The engine has shut down',
  [ErrorCode.internal]: '{message}',
  [ErrorCode.lookupNotFound]: 'Not found: {hostname} does not exist or has no such record',
  [ErrorCode.lookupNoData]: '{hostname} exists but has no records of that type',
  [ErrorCode.lookupTimeout]: 'The lookup timed out: the DNS server did not answer in time',
  'ERR_LOOKUP_TIMEOUT.limit': 'The lookup timed out after {timeoutMs} ms',
  [ErrorCode.lookupRefused]: 'DNS server {server} refused the query',
  'ERR_LOOKUP_REFUSED.ECONNREFUSED': 'Nothing is listening for DNS queries at {server}',
  [ErrorCode.lookupUnreachable]: 'Cannot reach the DNS server: the network or host is unreachable',
  [ErrorCode.lookupServerFailure]: 'The DNS server could not answer the query',
  'ERR_LOOKUP_SERVER_FAILURE.EAI_AGAIN':
    'Temporary failure in name resolution: the DNS server failed or did not answer',
  [ErrorCode.lookupBadInput]: 'The resolver refused the query as malformed',
  [ErrorCode.lookupFailed]: 'The lookup failed',
  'ERR_LOOKUP_NOT_FOUND.NXDOMAIN': '{hostname} does not exist (NXDOMAIN, rcode {rcodeValue})',
  'ERR_LOOKUP_REFUSED.REFUSED':
    'DNS server {server} refused the query: it will not serve this query to us (REFUSED, rcode {rcodeValue})',
  'ERR_LOOKUP_SERVER_FAILURE.FORMERR':
    'DNS server {server} answered FORMERR: it could not understand the query (rcode {rcodeValue})',
  'ERR_LOOKUP_SERVER_FAILURE.SERVFAIL':
    'DNS server {server} answered SERVFAIL: it could not resolve the name (rcode {rcodeValue})',
  'ERR_LOOKUP_SERVER_FAILURE.NOTIMP':
    'DNS server {server} answered NOTIMP: it does not implement this kind of query (rcode {rcodeValue})',
  [ErrorCode.lookupMismatchedReply]:
    'No reply from {server} matched the query: a reply that does not match is a sign of spoofing or a confused server',
  [ErrorCode.lookupTruncated]:
    'The answer from {server} did not fit in UDP (TC set) and TCP could not fetch it',
  [ErrorCode.serviceNotFound]: 'No such service in the services database ({path})',
  [ErrorCode.socketRefused]: 'Connection to {where} refused: nothing is listening there',
  [ErrorCode.socketTimeout]: 'Connection to {where} timed out',
  'ERR_SOCKET_TIMEOUT.limit':
    'Connection to {where} timed out after {timeoutMs} ms (no answer; our own connect timeout)',
  [ErrorCode.socketUnreachable]: 'Host unreachable: no route to {where}',
  'ERR_SOCKET_UNREACHABLE.ENETUNREACH': 'Network unreachable: no network path to {where}',
  'ERR_SOCKET_UNREACHABLE.ENETDOWN': 'Network down: cannot reach {where}',
  [ErrorCode.socketNameNotFound]: 'Name not found: {where} does not resolve to an address',
  'ERR_SOCKET_NAME_NOT_FOUND.EAI_AGAIN':
    'Name lookup failed for {where}: the DNS server failed or did not answer',
  [ErrorCode.socketAddressInUse]:
    'Local address already in use: another socket holds that address and port',
  [ErrorCode.socketAddressNotAvailable]:
    'Local address not available: no interface on this machine has that address',
  'ERR_SOCKET_ADDRESS_NOT_AVAILABLE.EACCES': 'Permission denied: that local port needs privileges',
  'ERR_SOCKET_ADDRESS_IN_USE.listen':
    'Cannot listen on {where}: address already in use: another socket holds that address and port',
  'ERR_SOCKET_PERMISSION_DENIED.listen':
    'Cannot listen on {where}: permission denied: ports below 1024 need privileges',
  'ERR_SOCKET_ADDRESS_NOT_AVAILABLE.listen.EACCES':
    'Cannot listen on {where}: permission denied: ports below 1024 need privileges',
  'ERR_SOCKET_ADDRESS_NOT_AVAILABLE.listen':
    'Cannot listen on {where}: address not available: no interface on this machine has that address',
  [ErrorCode.socketReset]: 'Connection reset by peer {where}',
  'ERR_SOCKET_RESET.ECONNABORTED': 'Connection to {where} aborted',
  [ErrorCode.socketClosed]: 'Broken pipe: {where} closed the connection while we were writing',
  [ErrorCode.socketFailed]: 'Socket error on {where}',
  'ERR_SOCKET_FAILED.EAFNOSUPPORT': 'Address family not supported on this machine',
  [ErrorCode.sessionNotFound]: 'No session with id "{sessionId}"',
  [ErrorCode.sessionNotConnected]: 'Not possible on {session}: it is {state}',
  [ErrorCode.exportNotFound]: 'That export is gone (it was read to the end, replaced or expired)',
  [ErrorCode.sessionUnsupported]: 'A {kind} session cannot do that',
  [ErrorCode.settingsCorrupt]:
    'The saved settings could not be read; they were moved aside and defaults are used',
  [ErrorCode.settingsWriteFailed]: 'Could not save settings to {path}',
  [ErrorCode.exportTooLarge]:
    'The export would be too large to build in memory; export one session at a time',
  // UDP sockets: the variant is the OS code, a reason, or the call that failed.
  [ErrorCode.socketPermissionDenied]: 'Permission denied by the operating system',
  'ERR_SOCKET_PERMISSION_DENIED.bind':
    'Permission denied binding {where}: ports below 1024 need privileges',
  'ERR_SOCKET_PERMISSION_DENIED.send':
    "Permission denied sending to {where}: it is a broadcast address and the socket's Broadcast option (SO_BROADCAST) is off",
  [ErrorCode.socketMessageTooLong]:
    'Message too long: the datagram is larger than UDP carries or than the path allows',
  'ERR_SOCKET_MESSAGE_TOO_LONG.over-limit':
    'Message too long: {size} bytes is more than one UDP datagram over IPv{family} can carry ({limit})',
  'ERR_SOCKET_MESSAGE_TOO_LONG.send':
    'Message too long for {where}: the datagram is larger than UDP carries or than the path allows',
  [ErrorCode.socketNoDestination]:
    'No destination: give a destination host and port, or connect the socket to a default peer',
  [ErrorCode.multicastFailed]: 'The multicast join or leave was refused',
  'ERR_MULTICAST_FAILED.join': 'The system refused to join the multicast group ({osCode})',
  'ERR_MULTICAST_FAILED.leave': 'The system refused to leave the multicast group ({osCode})',
  'ERR_MULTICAST_FAILED.already-member': 'Already a member of group {group}',
  'ERR_MULTICAST_FAILED.not-member': 'Not a member of group {group}',
  'ERR_SOCKET_REFUSED.send':
    'Refused: nothing is listening at {where} (its host answered with ICMP port unreachable)',
  'ERR_SOCKET_REFUSED.receive':
    'Refused: nothing is listening at {where} (its host answered with ICMP port unreachable)',
  'ERR_SOCKET_FAILED.ipv6-only':
    'Cannot send to {where}: this socket is IPv6-only; bind without "IPv6 only" to reach IPv4 addresses too',
  'ERR_SOCKET_FAILED.ipv4-socket':
    'Cannot send to {where}: this socket is IPv4; bind to :: to reach IPv6 addresses',
  'ERR_SESSION_UNSUPPORTED.udp-peers':
    'A UDP socket sends to a destination address (peers are for TCP servers)',
  'ERR_SESSION_UNSUPPORTED.connected-elsewhere':
    'This socket is connected to {remote} and sends only there; disconnect it to send to {where}',
  'ERR_SESSION_UNSUPPORTED.heartbeat-to':
    'Heartbeat destination: a destination is for UDP sockets; a {kind} session beats to its own peer',
  'ERR_SESSION_UNSUPPORTED.udp-reconnect':
    'When dead: a UDP socket has no connection to reconnect; mark the peer dead or close the socket',
  'ERR_SOCKET_NO_DESTINATION.heartbeat-no-destination':
    'Heartbeat destination: none given; give one, or connect the socket to a default peer',
  ERR_DISCONNECTED: 'The connection to the sockscope engine closed',
  'ERR_DISCONNECTED.noToken':
    'The page was opened without its token; open the URL that start:web printed',
  'ERR_DISCONNECTED.host': 'The sockscope engine closed the connection: {words}',
  ERR_TOO_MANY_PAGES:
    'The sockscope engine already serves as many pages as it allows; close another page and reload',
  [ErrorCode.sendQueueFull]:
    'Not sent: the peer is not reading, and the bytes already waiting for it fill the send queue',
  [ErrorCode.sendCancelled]: 'Not sent: cancelled while it waited for the peer to read',
  [ErrorCode.tooManySessions]: 'The engine holds as many sessions as it allows; remove some first',
  [ErrorCode.tooManyLookups]:
    'As many lookups are running as the engine allows; wait for some to finish',
  [ErrorCode.exportBusy]: 'This export is already being read; wait for the current piece',
  ERR_FRAME_TOO_LARGE:
    'This call is {sizeMiB} MiB; browser mode carries at most {limitMiB} MiB in one call (send large data as a file)',

  // Session states as error params read them.
  'state.connecting': 'connecting',
  'state.connected': 'connected',
  'state.half-closed': 'half-closed',
  'state.closed': 'closed',
  'state.failed': 'failed',
  'state.peer-closed': 'closed by the peer',
  'state.binding': 'binding',
  'state.bound': 'bound',
  'state.dead': 'dead',
  'ERR_SESSION_NOT_CONNECTED.half-closed': 'Cannot send on {session}: its write side is shut down',
  'ERR_SESSION_NOT_CONNECTED.peer-closed':
    'Cannot send on {session}: the peer closed the connection',

  // Log events: `event.KIND`, or `event.KIND.VARIANT`.
  'event.connecting': 'Connecting to {where}',
  'event.connected': 'Connected to {remote} from {local}',
  'event.half-closed.us': 'Write side shut down (FIN sent); still reading',
  'event.half-closed.peer': 'The peer closed its side (FIN received)',
  'event.closed': 'Closed',
  'event.closed.us': 'Closed by us',
  'event.closed.peer': 'Closed by the peer',
  'event.closed.error': 'Closed after an error',
  'event.idle.close': 'No traffic for {ms} ms: closing (idle timeout)',
  'event.idle.mark': 'No traffic for {ms} ms (idle timeout; the session stays open)',
  'event.info.repeat-stopped': 'Timed send stopped after {sent} sends: {reason}',
  'event.info.backlogged': 'The peer is not reading: {queued} bytes wait to be sent',
  'event.info.drained': 'The peer reads again: sending goes on',
  'event.info.backlogged-datagrams': 'Datagrams wait to be sent: {queued} bytes queued',
  'event.info.drained-datagrams': 'Datagrams go out again',
  'event.info.looked-up': 'Looked up {host}: {address} ({ms} ms)',
  'event.error': '{error}',
  'event.reason.notConnected': 'the session is no longer connected',
  'event.info.backlogged-client': 'The client is not reading: {queued} bytes wait to be sent',
  'event.info.drained-client': 'The client reads again: sending goes on',
  'event.reason.noClients': 'no client is connected',
  // One request, one answer: what ended the request, and the answer.
  'event.info.request-answered':
    'Request of {bytes} bytes complete ({ending}): answered {answered} bytes; closing',
  'event.info.request-unanswered':
    'Request of {bytes} bytes complete ({ending}): no answer configured; closing',
  'event.request-end.line': 'a line ending',
  'event.request-end.bytes': '{count} bytes',
  'event.request-end.quiet': '{ms} ms of quiet',
  'event.request-end.fin': "the client's FIN",
  // A server's behaviour changed: each change, joined by the separator.
  'event.info.behaviour': 'Now: {changes}',
  'event.behaviour.mode.interactive': 'mode interactive',
  'event.behaviour.mode.echo': 'mode echo',
  'event.behaviour.mode.request-answer': 'mode one request, one answer',
  'event.behaviour.no-idle-kick': 'no idle kick',
  'event.behaviour.idle-kick': 'idle kick after {seconds} s',
  'event.behaviour.no-client-limit': 'no client limit',
  'event.behaviour.client-limit': 'at most {max} clients',
  'event.behaviour.separator': ', ',
  'event.info.bound':
    'Bound to {local} (receive buffer {recvBufferBytes} bytes, send buffer {sendBufferBytes} bytes)',
  'event.connected.default-peer':
    'Connected to default peer {remote}: sends go there and only its datagrams are received',
  'event.info.default-peer-cleared':
    'Disconnected from the default peer: datagrams from anyone are received again',
  'event.info.options': 'Options set: {options}',
  'event.info.joined': 'Joined multicast group {group}',
  'event.info.left': 'Left multicast group {group}',
  // A TCP server's events, and its clients'.
  'event.listening.interactive': 'Listening on {where}{notes}, backlog {backlog}, mode interactive',
  'event.listening.echo': 'Listening on {where}{notes}, backlog {backlog}, mode echo',
  'event.listening.request-answer':
    'Listening on {where}{notes}, backlog {backlog}, mode one request, one answer',
  'event.listening.note.ipv6-only': ' (IPv6 only)',
  'event.listening.note.dual': ' (IPv6 and IPv4)',
  'event.listening.note.granted': ' (port {port} granted by the OS)',
  'event.closed.stopped': 'Stopped listening on {where}',
  'event.accepted': 'Accepted {remote} on {local}',
  'event.refused': 'Refused {remote}: {count} clients connected, the maximum is {max} (RST sent)',
  'event.reset-sent': 'Reset {remote} (RST sent; the connection is aborted)',
  'event.reset-received': '{remote} reset the connection (RST received)',
  'event.half-closed.client': '{remote} closed its side (FIN received)',
  'event.half-closed.disconnect': 'Disconnected by us: FIN sent',
  'event.half-closed.answered': 'Answer sent: FIN sent (one request, one answer)',
  'event.half-closed.idle-kick': 'Idle kick: FIN sent',
  'event.info.rule-stopped':
    'Rule "{rule}" stopped: more than {limit} replies in a second (is it answering its own replies?)',
  'event.idle.kick': 'No traffic from {remote} for {seconds} s: closing (idle kick)',
  'event.closed.reset-by-us': 'Closed by our reset',
  'event.closed.reset-by-peer': "Closed by the client's reset",
  'event.closed.idle-kick': 'Closed by the idle kick',
  'event.closed.dead': 'Closed after the heartbeat found the client dead',
  // The heartbeat's.
  'event.dead.mark':
    'No reply to {missed} heartbeats in a row: the peer is dead (the connection stays open)',
  'event.dead.close':
    'No reply to {missed} heartbeats in a row: the peer is dead; closing the connection',
  'event.dead.udp-mark':
    'No reply from {peer} to {missed} heartbeats in a row: the peer is dead (the socket stays open)',
  'event.dead.udp-close':
    'No reply from {peer} to {missed} heartbeats in a row: the peer is dead; closing the socket',
  'event.dead.reconnect':
    'No reply to {missed} heartbeats in a row: the peer is dead; closing the connection to reconnect',
  'event.info.peer-alive': 'The peer answers the heartbeat again',
  'event.info.heartbeat-waits':
    'The heartbeat waits: this socket cannot reach its destination now (connect it to the default peer again, or give the heartbeat a destination this socket can send to)',
  'event.reconnect': 'Reconnect attempt {attempt} in {ms} ms',
  'event.reconnect.gave-up': 'Gave up reconnecting after {attempts} attempts',

  // Notices: `CODE`.
  NOTICE_PAGE_BEHIND:
    'This page fell behind and {count} records were not sent to it; the engine still has them (export the log to see every record).',

  // Field problems (see problemPatterns).
  'problem.empty': 'must not be empty',
  'problem.regexAt': 'is not a valid regular expression at position {position}: {reason}',
  'problem.regexEnd': 'is not a valid regular expression at its end: {reason}',
  'problem.number': 'must be a number',
  'problem.whole': 'must be a whole number',
  'problem.wholeMs': 'must be a whole number of milliseconds',
  'problem.wholeBytes': 'must be a whole number of bytes',
  'problem.range': 'must be from {min} to {max}',
  'problem.atLeastMs': 'must be at least {min} ms',
  'problem.atMostMs': 'must be at most {max} ms',
  'problem.atMost': 'must be at most {max}',
  'problem.atLeastMiB': 'must be at least {min} MiB',
  'problem.atMostGiB': 'must be at most {max} GiB',
  'problem.untilStopped': 'must be 0 (until stopped) or more',
  'problem.longerThan': 'is longer than {max} characters',
  'problem.longerThanMiB': 'is longer than {max} MiB',
  'problem.oneOf': 'must be {choices}',
  'problem.notIp': '"{value}" is not an IPv4 or IPv6 address',
  'problem.notIpv6': '"{value}" is not an IPv6 address',
  'problem.serverNotIp': '"{value}" is not an IP address (name the server by its address)',
  'problem.space': 'contains a space at position {position}',
  'problem.hostChar':
    'has a character that cannot be in a host name ({character}) at position {position}',
  'problem.emptyLabel': 'has an empty label (two dots in a row, or a leading dot)',
  'problem.notHex': '{character} at position {position} is not a hex digit',
  'problem.oddHex': 'odd number of hex digits: the digit at position {position} has no pair',
  'problem.prefixNoDigits': '{prefix} at position {position} has no hex digits after it',
  'problem.loneBackslash':
    'a lone "\\" at position {position} ends the text: write \\\\ for a backslash',
  'problem.shortX': '"\\x" at position {position} must be followed by two hex digits',
  'problem.unknownEscape':
    'unknown escape {escape} at position {position}: use \\r \\n \\t \\\\ \\0 or \\xHH',
  'problem.notBase64': '{character} at position {position} is not a base64 character',
  'problem.afterPadding': '{character} at position {position} comes after the "=" padding',
  'problem.getnameinfoPort': 'is needed for getnameinfo',
  'problem.serviceName':
    'may hold only letters, digits and . _ + - / (and start with a letter or digit)',
} as const;

export type EngineMessageKey = keyof typeof engineEn;

export const engineZh: Record<EngineMessageKey, string> = {
  [ErrorCode.invalidArgs]: '输入无效：{field}：{problem}',
  'ERR_INVALID_ARGS.unencodable': '第 {position} 个字符 {character} 无法用 {charset} 编码',
  'ERR_INVALID_ARGS.evicted': '记录 {id} 已被淘汰，以使日志保持在字节预算内',
  'ERR_INVALID_ARGS.no-record': '没有 ID 为 {id} 的记录',
  [ErrorCode.unknownCommand]: '引擎不认识这个命令',
  [ErrorCode.forbiddenSender]: '已拒绝：调用并非来自本应用的窗口',
  [ErrorCode.engineClosed]: '引擎已关闭',
  [ErrorCode.internal]: '内部错误：{message}',
  [ErrorCode.lookupNotFound]: '未找到：{hostname} 不存在，或没有这类记录',
  [ErrorCode.lookupNoData]: '{hostname} 存在，但没有该类型的记录',
  [ErrorCode.lookupTimeout]: '查询超时：DNS 服务器未及时应答',
  'ERR_LOOKUP_TIMEOUT.limit': '查询超时（{timeoutMs} 毫秒）',
  [ErrorCode.lookupRefused]: 'DNS 服务器 {server} 拒绝了查询',
  'ERR_LOOKUP_REFUSED.ECONNREFUSED': '{server} 上没有程序在监听 DNS 查询',
  [ErrorCode.lookupUnreachable]: '无法到达 DNS 服务器：网络或主机不可达',
  [ErrorCode.lookupServerFailure]: 'DNS 服务器无法应答此查询',
  'ERR_LOOKUP_SERVER_FAILURE.EAI_AGAIN': '域名解析暂时失败：DNS 服务器出错或没有应答',
  [ErrorCode.lookupBadInput]: '解析器认为查询格式有误，已拒绝',
  [ErrorCode.lookupFailed]: '查询失败',
  'ERR_LOOKUP_NOT_FOUND.NXDOMAIN': '{hostname} 不存在（NXDOMAIN，rcode {rcodeValue}）',
  'ERR_LOOKUP_REFUSED.REFUSED':
    'DNS 服务器 {server} 拒绝为我们提供此查询（REFUSED，rcode {rcodeValue}）',
  'ERR_LOOKUP_SERVER_FAILURE.FORMERR':
    'DNS 服务器 {server} 应答 FORMERR：无法理解该查询（rcode {rcodeValue}）',
  'ERR_LOOKUP_SERVER_FAILURE.SERVFAIL':
    'DNS 服务器 {server} 应答 SERVFAIL：无法解析该名称（rcode {rcodeValue}）',
  'ERR_LOOKUP_SERVER_FAILURE.NOTIMP':
    'DNS 服务器 {server} 应答 NOTIMP：不支持这类查询（rcode {rcodeValue}）',
  [ErrorCode.lookupMismatchedReply]:
    '{server} 没有返回与查询匹配的应答：不匹配的应答可能是伪造的，或服务器出了问题',
  [ErrorCode.lookupTruncated]: '{server} 的应答超出 UDP 大小（TC 置位），且无法通过 TCP 取得',
  [ErrorCode.serviceNotFound]: '服务数据库中没有该服务（{path}）',
  [ErrorCode.socketRefused]: '连接 {where} 被拒绝：该端口没有程序在监听',
  [ErrorCode.socketTimeout]: '连接 {where} 超时',
  'ERR_SOCKET_TIMEOUT.limit': '连接 {where} 超时：{timeoutMs} 毫秒内无应答（本程序的连接超时）',
  [ErrorCode.socketUnreachable]: '主机不可达：没有到 {where} 的路由',
  'ERR_SOCKET_UNREACHABLE.ENETUNREACH': '网络不可达：没有通往 {where} 的网络路径',
  'ERR_SOCKET_UNREACHABLE.ENETDOWN': '网络已断开：无法到达 {where}',
  [ErrorCode.socketNameNotFound]: '找不到主机名：{where} 无法解析为地址',
  'ERR_SOCKET_NAME_NOT_FOUND.EAI_AGAIN': '解析 {where} 失败：DNS 服务器出错或没有应答',
  [ErrorCode.socketAddressInUse]: '本地地址已被占用：另一个套接字正在使用该地址和端口',
  [ErrorCode.socketAddressNotAvailable]: '本地地址不可用：本机没有网卡拥有该地址',
  'ERR_SOCKET_ADDRESS_NOT_AVAILABLE.EACCES': '权限不足：该本地端口需要特权',
  'ERR_SOCKET_ADDRESS_IN_USE.listen':
    '无法在 {where} 上监听：地址已被占用，另一个套接字正在使用该地址和端口',
  'ERR_SOCKET_PERMISSION_DENIED.listen': '无法在 {where} 上监听：权限不足，1024 以下的端口需要特权',
  'ERR_SOCKET_ADDRESS_NOT_AVAILABLE.listen.EACCES':
    '无法在 {where} 上监听：权限不足，1024 以下的端口需要特权',
  'ERR_SOCKET_ADDRESS_NOT_AVAILABLE.listen':
    '无法在 {where} 上监听：地址不可用，本机没有网卡拥有该地址',
  [ErrorCode.socketReset]: '连接被对端 {where} 重置',
  'ERR_SOCKET_RESET.ECONNABORTED': '到 {where} 的连接已中止',
  [ErrorCode.socketClosed]: '管道已断开：写入时 {where} 关闭了连接',
  [ErrorCode.socketFailed]: '{where} 上的套接字出错',
  'ERR_SOCKET_FAILED.EAFNOSUPPORT': '本机不支持该地址族',
  [ErrorCode.sessionNotFound]: '没有 ID 为“{sessionId}”的会话',
  [ErrorCode.sessionNotConnected]: '{session} 当前{state}，无法执行此操作',
  [ErrorCode.exportNotFound]: '该导出已不存在（已读完、被替换或已过期）',
  [ErrorCode.sessionUnsupported]: '{kind} 会话不支持此操作',
  [ErrorCode.settingsCorrupt]: '保存的设置无法读取，已移到一旁，改用默认设置',
  [ErrorCode.settingsWriteFailed]: '无法将设置保存到 {path}',
  [ErrorCode.exportTooLarge]: '导出文件太大，无法在内存中生成；请逐个会话导出',
  [ErrorCode.socketPermissionDenied]: '权限不足：操作系统拒绝了该操作',
  'ERR_SOCKET_PERMISSION_DENIED.bind': '绑定 {where} 权限不足：1024 以下的端口需要特权',
  'ERR_SOCKET_PERMISSION_DENIED.send':
    '发送到 {where} 权限不足：这是广播地址，而套接字的广播选项（SO_BROADCAST）未开启',
  [ErrorCode.socketMessageTooLong]: '报文过长：数据报超过了 UDP 所能承载或路径所允许的大小',
  'ERR_SOCKET_MESSAGE_TOO_LONG.over-limit':
    '报文过长：{size} 字节超过了 IPv{family} 上单个 UDP 数据报的上限（{limit} 字节）',
  'ERR_SOCKET_MESSAGE_TOO_LONG.send':
    '发往 {where} 的报文过长：数据报超过了 UDP 所能承载或路径所允许的大小',
  [ErrorCode.socketNoDestination]: '没有目的地址：请填写目的主机和端口，或把该套接字连接到默认对端',
  [ErrorCode.multicastFailed]: '组播加入或退出被拒绝',
  'ERR_MULTICAST_FAILED.join': '系统拒绝加入该组播组（{osCode}）',
  'ERR_MULTICAST_FAILED.leave': '系统拒绝退出该组播组（{osCode}）',
  'ERR_MULTICAST_FAILED.already-member': '已是组播组 {group} 的成员',
  'ERR_MULTICAST_FAILED.not-member': '不是组播组 {group} 的成员',
  'ERR_SOCKET_REFUSED.send': '被拒绝：{where} 上没有程序在监听（对方主机回应了 ICMP 端口不可达）',
  'ERR_SOCKET_REFUSED.receive':
    '被拒绝：{where} 上没有程序在监听（对方主机回应了 ICMP 端口不可达）',
  'ERR_SESSION_UNSUPPORTED.heartbeat-to':
    '心跳目的地址：只有 UDP 套接字可指定心跳目的地址；{kind} 会话的心跳发往它自己的对端',
  'ERR_SESSION_UNSUPPORTED.udp-reconnect':
    '失联后：UDP 套接字没有连接可重连；请选择仅标记对端失联或关闭套接字',
  'ERR_SOCKET_NO_DESTINATION.heartbeat-no-destination':
    '心跳目的地址：未填写；请填写目的地址，或把该套接字连接到默认对端',
  'ERR_SOCKET_FAILED.ipv6-only':
    '无法发送到 {where}：该套接字仅限 IPv6；绑定时不勾选“仅 IPv6”才能发往 IPv4 地址',
  'ERR_SOCKET_FAILED.ipv4-socket':
    '无法发送到 {where}：该套接字是 IPv4 套接字；绑定到 :: 才能发往 IPv6 地址',
  'ERR_SESSION_UNSUPPORTED.udp-peers': 'UDP 套接字按目的地址发送（对端列表用于 TCP 服务器）',
  'ERR_SESSION_UNSUPPORTED.connected-elsewhere':
    '该套接字已连接到 {remote}，只能发往该处；要发往 {where} 请先断开默认对端',
  ERR_DISCONNECTED: '与 sockscope 引擎的连接已断开',
  'ERR_DISCONNECTED.noToken': '页面打开时缺少令牌；请打开 start:web 打印的网址',
  'ERR_DISCONNECTED.host': 'sockscope 引擎关闭了连接：{words}',
  ERR_TOO_MANY_PAGES: 'sockscope 引擎已达到允许的页面数上限；请关闭其他页面后重新加载',
  [ErrorCode.sendQueueFull]: '未发送：对端没有读取，等待发送的数据已占满发送队列',
  [ErrorCode.sendCancelled]: '未发送：等待对端读取时已取消',
  [ErrorCode.tooManySessions]: '引擎的会话数已达上限；请先移除一些会话',
  [ErrorCode.tooManyLookups]: '正在进行的查询已达引擎上限；请等部分查询完成',
  [ErrorCode.exportBusy]: '该导出正在读取中；请等待当前分块完成',
  ERR_FRAME_TOO_LARGE:
    '本次调用有 {sizeMiB} MiB；浏览器模式单次调用最多 {limitMiB} MiB（大数据请用发送文件）',

  'state.connecting': '正在连接',
  'state.connected': '已连接',
  'state.half-closed': '半关闭',
  'state.closed': '已关闭',
  'state.failed': '失败',
  'state.peer-closed': '被对端关闭',
  'state.binding': '正在绑定',
  'state.bound': '已绑定',
  'state.dead': '对端掉线',
  'ERR_SESSION_NOT_CONNECTED.half-closed': '无法在 {session} 上发送：写端已关闭',
  'ERR_SESSION_NOT_CONNECTED.peer-closed': '无法在 {session} 上发送：对端已关闭连接',

  'event.connecting': '正在连接 {where}',
  'event.connected': '已连接到 {remote}（本地 {local}）',
  'event.half-closed.us': '已关闭写端（已发送 FIN），仍在接收',
  'event.half-closed.peer': '对端已关闭其发送端（收到 FIN）',
  'event.closed': '已关闭',
  'event.closed.us': '已断开（本端关闭）',
  'event.closed.peer': '已断开（对端关闭）',
  'event.closed.error': '因错误断开',
  'event.idle.close': '{ms} 毫秒无数据：关闭（空闲超时）',
  'event.idle.mark': '{ms} 毫秒无数据（空闲超时，会话保持打开）',
  'event.info.repeat-stopped': '定时发送已停止，共发送 {sent} 次：{reason}',
  'event.info.backlogged': '对端未读取：{queued} 字节等待发送',
  'event.info.drained': '对端恢复读取：继续发送',
  'event.info.backlogged-datagrams': '数据报等待发送：已排队 {queued} 字节',
  'event.info.drained-datagrams': '数据报恢复发送',
  'event.info.looked-up': '已解析 {host}：{address}（{ms} 毫秒）',
  'event.error': '{error}',
  'event.reason.notConnected': '会话已不在连接状态',
  'event.info.backlogged-client': '客户端未读取：{queued} 字节等待发送',
  'event.info.drained-client': '客户端恢复读取：继续发送',
  'event.reason.noClients': '没有已连接的客户端',
  'event.info.request-answered':
    '请求接收完毕（{bytes} 字节，{ending}）：已应答 {answered} 字节，正在关闭',
  'event.info.request-unanswered': '请求接收完毕（{bytes} 字节，{ending}）：未设置应答，正在关闭',
  'event.request-end.line': '收到换行',
  'event.request-end.bytes': '满 {count} 字节',
  'event.request-end.quiet': '静默 {ms} 毫秒',
  'event.request-end.fin': '客户端发送 FIN',
  'event.info.behaviour': '已更改：{changes}',
  'event.behaviour.mode.interactive': '模式：交互',
  'event.behaviour.mode.echo': '模式：回显',
  'event.behaviour.mode.request-answer': '模式：一问一答',
  'event.behaviour.no-idle-kick': '不做空闲踢出',
  'event.behaviour.idle-kick': '空闲 {seconds} 秒后踢出',
  'event.behaviour.no-client-limit': '不限客户端数',
  'event.behaviour.client-limit': '最多 {max} 个客户端',
  'event.behaviour.separator': '，',
  'event.info.bound':
    '已绑定 {local}（接收缓冲区 {recvBufferBytes} 字节，发送缓冲区 {sendBufferBytes} 字节）',
  'event.connected.default-peer':
    '已连接默认对端 {remote}：数据报只发往该处，也只接收它发来的数据报',
  'event.info.default-peer-cleared': '已断开默认对端：重新接收任何来源的数据报',
  'event.info.options': '已设置选项：{options}',
  'event.info.joined': '已加入组播组 {group}',
  'event.info.left': '已退出组播组 {group}',
  'event.listening.interactive': '正在监听 {where}{notes}，backlog {backlog}，模式：交互',
  'event.listening.echo': '正在监听 {where}{notes}，backlog {backlog}，模式：回显',
  'event.listening.request-answer': '正在监听 {where}{notes}，backlog {backlog}，模式：一问一答',
  'event.listening.note.ipv6-only': '（仅 IPv6）',
  'event.listening.note.dual': '（IPv6 与 IPv4）',
  'event.listening.note.granted': '（端口 {port} 由系统分配）',
  'event.closed.stopped': '已停止监听 {where}',
  'event.accepted': '已接受 {remote} 的连接（本地 {local}）',
  'event.refused': '已拒绝 {remote}：已有 {count} 个客户端连接，上限为 {max}（已发送 RST）',
  'event.reset-sent': '已复位 {remote}（已发送 RST，连接中止）',
  'event.reset-received': '{remote} 复位了连接（收到 RST）',
  'event.half-closed.client': '{remote} 已关闭其发送端（收到 FIN）',
  'event.half-closed.disconnect': '已主动断开：已发送 FIN',
  'event.half-closed.answered': '已应答：已发送 FIN（一问一答）',
  'event.half-closed.idle-kick': '空闲踢出：已发送 FIN',
  'event.info.rule-stopped':
    '规则“{rule}”已停止：一秒内应答超过 {limit} 次（是否在应答自己的应答？）',
  'event.idle.kick': '{remote} 已 {seconds} 秒无数据：关闭（空闲踢出）',
  'event.closed.reset-by-us': '已断开（本端复位）',
  'event.closed.reset-by-peer': '已断开（客户端复位）',
  'event.closed.idle-kick': '已断开（空闲踢出）',
  'event.closed.dead': '已断开（心跳判定客户端失联）',
  'event.dead.mark': '连续 {missed} 次心跳无应答：对端已失联（连接保持打开）',
  'event.dead.close': '连续 {missed} 次心跳无应答：对端已失联，关闭连接',
  'event.dead.reconnect': '连续 {missed} 次心跳无应答：对端已失联，关闭连接后重连',
  'event.dead.udp-mark': '{peer} 连续 {missed} 次心跳无应答：对端已失联（套接字保持打开）',
  'event.dead.udp-close': '{peer} 连续 {missed} 次心跳无应答：对端已失联，关闭套接字',
  'event.info.peer-alive': '对端重新应答心跳',
  'event.info.heartbeat-waits':
    '心跳暂停：该套接字现在无法到达心跳目的地址（请重新连接默认对端，或给心跳指定该套接字能发往的目的地址）',
  'event.reconnect': '第 {attempt} 次重连，{ms} 毫秒后进行',
  'event.reconnect.gave-up': '已重连 {attempts} 次，放弃重连',

  NOTICE_PAGE_BEHIND:
    '本页面处理不及，有 {count} 条记录未发送到页面；引擎仍保留它们（导出日志可看到全部记录）。',

  'problem.empty': '不能为空',
  'problem.regexAt': '不是有效的正则表达式（第 {position} 个字符处）：{reason}',
  'problem.regexEnd': '不是有效的正则表达式（在末尾）：{reason}',
  'problem.number': '必须是数字',
  'problem.whole': '必须是整数',
  'problem.wholeMs': '必须是整数毫秒',
  'problem.wholeBytes': '必须是整数字节',
  'problem.range': '必须在 {min} 到 {max} 之间',
  'problem.atLeastMs': '不能小于 {min} 毫秒',
  'problem.atMostMs': '不能大于 {max} 毫秒',
  'problem.atMost': '不能大于 {max}',
  'problem.atLeastMiB': '不能小于 {min} MiB',
  'problem.atMostGiB': '不能大于 {max} GiB',
  'problem.untilStopped': '必须大于等于 0（0 表示一直发送到停止）',
  'problem.longerThan': '超过了 {max} 个字符',
  'problem.longerThanMiB': '超过了 {max} MiB',
  'problem.oneOf': '必须是 {choices} 之一',
  'problem.notIp': '“{value}”不是 IPv4 或 IPv6 地址',
  'problem.notIpv6': '“{value}”不是 IPv6 地址',
  'problem.serverNotIp': '“{value}”不是 IP 地址（请用地址指定服务器）',
  'problem.space': '第 {position} 个字符是空格',
  'problem.hostChar': '第 {position} 个字符 {character} 不能出现在主机名中',
  'problem.emptyLabel': '有空的标签（连续两个点，或以点开头）',
  'problem.notHex': '第 {position} 个字符 {character} 不是十六进制数字',
  'problem.oddHex': '十六进制数字个数为奇数：第 {position} 个数字没有配对',
  'problem.prefixNoDigits': '第 {position} 个字符处的 {prefix} 后面没有十六进制数字',
  'problem.loneBackslash': '第 {position} 个字符是结尾处单独的“\\”：反斜杠请写成 \\\\',
  'problem.shortX': '第 {position} 个字符处的“\\x”后面必须跟两位十六进制数字',
  'problem.unknownEscape':
    '第 {position} 个字符处的转义 {escape} 无法识别：可用 \\r \\n \\t \\\\ \\0 或 \\xHH',
  'problem.notBase64': '第 {position} 个字符 {character} 不是 Base64 字符',
  'problem.afterPadding': '第 {position} 个字符 {character} 位于“=”填充之后',
  'problem.getnameinfoPort': 'getnameinfo 需要填写此项',
  'problem.serviceName': '只能包含字母、数字和 . _ + - /（并以字母或数字开头）',
};

/**
 * The contract's field problems as patterns: the English text the schemas and
 * codecs produce, and the catalogue key that words it (named groups are params).
 */
export const problemPatterns: readonly { pattern: RegExp; key: EngineMessageKey }[] = [
  { pattern: /^must not be empty$/, key: 'problem.empty' },
  {
    pattern: /^is not a valid regular expression at position (?<position>\d+): (?<reason>.+)$/,
    key: 'problem.regexAt',
  },
  {
    pattern: /^is not a valid regular expression at its end: (?<reason>.+)$/,
    key: 'problem.regexEnd',
  },
  { pattern: /^must be a number$/, key: 'problem.number' },
  { pattern: /^must be a whole number$/, key: 'problem.whole' },
  { pattern: /^must be a whole number of milliseconds$/, key: 'problem.wholeMs' },
  { pattern: /^must be a whole number of bytes$/, key: 'problem.wholeBytes' },
  { pattern: /^must be from (?<min>\d+) to (?<max>\d+)$/, key: 'problem.range' },
  { pattern: /^must be at least (?<min>\d+) ms$/, key: 'problem.atLeastMs' },
  { pattern: /^must be at most (?<max>\d+) ms$/, key: 'problem.atMostMs' },
  { pattern: /^must be at most (?<max>\d+)$/, key: 'problem.atMost' },
  { pattern: /^must be at least (?<min>\d+) MiB$/, key: 'problem.atLeastMiB' },
  { pattern: /^must be at most (?<max>\d+) GiB$/, key: 'problem.atMostGiB' },
  { pattern: /^must be 0 \(until stopped\) or more$/, key: 'problem.untilStopped' },
  { pattern: /^is longer than (?<max>\d+) characters$/, key: 'problem.longerThan' },
  { pattern: /^is longer than (?<max>\d+) MiB$/, key: 'problem.longerThanMiB' },
  {
    pattern: /^must be (?:one of )?(?<choices>[\w-]+(?:, [\w-]+)*,? or [\w-]+)$/,
    key: 'problem.oneOf',
  },
  { pattern: /^"(?<value>.*)" is not an IPv4 or IPv6 address$/, key: 'problem.notIp' },
  { pattern: /^"(?<value>.*)" is not an IPv6 address$/, key: 'problem.notIpv6' },
  {
    pattern: /^"(?<value>.*)" is not an IP address \(name the server by its address\)$/,
    key: 'problem.serverNotIp',
  },
  { pattern: /^contains a space at position (?<position>\d+)$/, key: 'problem.space' },
  {
    pattern:
      /^has a character that cannot be in a host name \((?<character>.+)\) at position (?<position>\d+)$/,
    key: 'problem.hostChar',
  },
  { pattern: /^has an empty label/, key: 'problem.emptyLabel' },
  {
    pattern: /^(?<character>.+) at position (?<position>\d+) is not a hex digit$/,
    key: 'problem.notHex',
  },
  {
    pattern: /^odd number of hex digits .*: the digit at position (?<position>\d+) has no pair$/,
    key: 'problem.oddHex',
  },
  {
    pattern: /^(?<prefix>".+") at position (?<position>\d+) has no hex digits after it$/,
    key: 'problem.prefixNoDigits',
  },
  {
    pattern: /^a lone "\\" at position (?<position>\d+) ends the text/,
    key: 'problem.loneBackslash',
  },
  {
    pattern: /^"\\x" at position (?<position>\d+) must be followed by two hex digits$/,
    key: 'problem.shortX',
  },
  {
    pattern: /^unknown escape (?<escape>.+?) at position (?<position>\d+):/,
    key: 'problem.unknownEscape',
  },
  {
    pattern: /^(?<character>.+) at position (?<position>\d+) is not a base64 character$/,
    key: 'problem.notBase64',
  },
  {
    pattern: /^(?<character>.+) at position (?<position>\d+) comes after the "=" padding$/,
    key: 'problem.afterPadding',
  },
  { pattern: /^is needed for getnameinfo$/, key: 'problem.getnameinfoPort' },
  { pattern: /^may hold only letters, digits/, key: 'problem.serviceName' },
];
