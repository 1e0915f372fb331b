// UI strings for macros, the payload preview, heartbeats and reply rules, kept
// apart from messages.ts so the catalogue's other groups merge without conflict.

export const automationEn = {
  formatPacketSender: 'Text (Packet Sender \\HH)',
  hintPacketSender: 'Packet Sender notation: \\HH is one byte; \\r \\n \\t \\\\',
  hintMacros:
    'Macros: {counter} {seq} {date} {time} {unix} {unix_ms} {random:N} {uuid} · checksums {sum8} {xor8} {crc8} {crc16-modbus} {crc16-ccitt-false} {crc16-xmodem} {crc32} (be / le, from=N)',
  previewLabel: 'Bytes to send',
  previewSize: '{size} bytes',
  previewEmpty: 'nothing to send',
} as const;

export const automationZh: Record<keyof typeof automationEn, string> = {
  formatPacketSender: '文本（Packet Sender \\HH）',
  hintPacketSender: 'Packet Sender 写法：\\HH 为一个字节；\\r \\n \\t \\\\',
  hintMacros:
    '宏：{counter} {seq} {date} {time} {unix} {unix_ms} {random:N} {uuid} · 校验和 {sum8} {xor8} {crc8} {crc16-modbus} {crc16-ccitt-false} {crc16-xmodem} {crc32}（be / le，from=N）',
  previewLabel: '将发送的字节',
  previewSize: '{size} 字节',
  previewEmpty: '无内容',
};
