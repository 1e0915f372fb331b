import { z } from 'zod';
import { charsets } from '../charsets';
import { payloadProblem } from '../codecs/payload';

export const Charset = z.enum(charsets, {
  error: `must be ${charsets.slice(0, -1).join(', ')} or ${charsets.at(-1)}`,
});
export type Charset = z.infer<typeof Charset>;

export const LineEnding = z.enum(['none', 'lf', 'crlf'], { error: 'must be none, lf or crlf' });
export type LineEnding = z.infer<typeof LineEnding>;

/** `packet-sender`: text in Packet Sender's notation, where `\HH` is one byte. */
export const PayloadFormat = z.enum(['text', 'hex', 'base64', 'packet-sender'], {
  error: 'must be text, hex, base64 or packet-sender',
});
export type PayloadFormat = z.infer<typeof PayloadFormat>;

/** The most one send may carry as typed text (a file goes in chunks). */
export const maxPayloadTextLength = 8 * 1024 * 1024;

/**
 * A payload as the user typed it. The engine turns it into bytes; the same
 * parser refuses bad hex, escapes or base64 here, naming the position.
 */
export const Payload = z
  .object({
    format: PayloadFormat,
    text: z.string().max(maxPayloadTextLength, { error: 'is longer than 8 MiB' }),
    charset: Charset.default('utf-8'),
    lineEnding: LineEnding.default('none'),
  })
  .superRefine((value, context) => {
    const problem = payloadProblem(value.format, value.text);
    if (problem !== null) context.addIssue({ code: 'custom', path: ['text'], message: problem });
  });
export type Payload = z.output<typeof Payload>;
