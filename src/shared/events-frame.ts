// Browser mode's event frame: one binary WebSocket message per batch. Turning a
// flood's records into JSON cost the engine about a third of its time per datagram
// (each record an object with nested addresses); here records travel as columns of
// numbers and one string of base64 previews, and what repeats (session ids,
// addresses) is sent once per frame. The rest of the batch (states, notices) stays
// JSON inside the frame.
//
// Layout, little-endian, each column starting on a multiple of its element size so
// both ends read and write it through typed arrays:
//   u32 version, u32 JSON byte length, the JSON (UTF-8), padding to 8,
//   f64 × 2n   id, atUs
//   u32 × 5n   size, session (index in `sessions`), local, remote (0 = null, else
//              index + 1 in `addresses`), extra (index + 1 in `extras`, 0 = none)
//   u16 × n    preview length
//   u8 × 2n    flags (direction, udp, truncated), charset (0 = null, else index + 1)
//   the previews' ASCII, one after another.
// where n is the number of records over every log.records event, in order.
import type { WebServerFrame } from './api';
import type { EngineEvent, EventBatch } from './contract/events';
import type {
  LogRecordPreview,
  MessageParams,
  SessionEventKind,
  SocketAddress,
} from './contract/log';
import { charsets } from './charsets';
import type { Charset } from './charsets';

export const eventsFrameVersion = 1;

/** What the frame's JSON carries beside the batch: the tables its records point into. */
interface FrameJson {
  batch: EventBatch;
  /** How many records each log.records event has, in order. */
  counts: number[];
  sessions: string[];
  addresses: SocketAddress[];
  /** An event record's kind, words and params; a reply rule's packet's words. */
  extras: [SessionEventKind | null, string | null, MessageParams | null][];
}

const directions = ['in', 'out', 'event'] as const;
const directionCodes = { in: 0, out: 1, event: 2 } as const;
const charsetCodes = Object.fromEntries(charsets.map((name, index) => [name, index + 1])) as Record<
  Charset,
  number
>;
const flagUdp = 4;
const flagTruncated = 8;

/** Where each column starts, for `count` records after `jsonLength` bytes of JSON. */
function columns(jsonLength: number, count: number) {
  const numbers = align(8 + jsonLength, 8);
  const integers = numbers + 16 * count;
  const lengths = integers + 20 * count;
  const bytes = lengths + 2 * count;
  const previews = bytes + 2 * count;
  return { numbers, integers, lengths, bytes, previews };
}

function align(offset: number, to: number): number {
  return Math.ceil(offset / to) * to;
}

class Table<T> {
  readonly items: T[] = [];
  private readonly indexOf = new Map<T, number>();
  // A flood's records mostly repeat the previous one's session and addresses.
  private last: T | undefined;
  private lastIndex = 0;

  /** The item's index + 1; objects are matched by identity (records share them). */
  add(item: T): number {
    if (item === this.last) return this.lastIndex + 1;
    let index = this.indexOf.get(item);
    if (index === undefined) {
      index = this.items.length;
      this.items.push(item);
      this.indexOf.set(item, index);
    }
    this.last = item;
    this.lastIndex = index;
    return index + 1;
  }
}

/** A batch as one binary frame. */
export function encodeEventsFrame(batch: EventBatch): Uint8Array {
  const counts: number[] = [];
  const lists: LogRecordPreview[][] = [];
  let count = 0;
  const events: EngineEvent[] = batch.events.map((event) => {
    if (event.type !== 'log.records') return event;
    counts.push(event.records.length);
    lists.push(event.records);
    count += event.records.length;
    return { type: 'log.records', records: [] };
  });
  const sessions = new Table<string>();
  const addresses = new Table<SocketAddress>();
  const extras: FrameJson['extras'] = [];
  const numbers = new Float64Array(2 * count);
  const integers = new Uint32Array(5 * count);
  const lengths = new Uint16Array(count);
  const bytes = new Uint8Array(2 * count);
  const previews: string[] = new Array<string>(count);
  let index = 0;
  for (const list of lists) {
    for (const record of list) {
      numbers[2 * index] = record.id;
      numbers[2 * index + 1] = record.atUs;
      const at = 5 * index;
      integers[at] = record.size;
      integers[at + 1] = sessions.add(record.sessionId) - 1;
      integers[at + 2] = record.local === null ? 0 : addresses.add(record.local);
      integers[at + 3] = record.remote === null ? 0 : addresses.add(record.remote);
      if (record.event !== null || record.message !== null || record.params !== null) {
        extras.push([record.event, record.message, record.params]);
        integers[at + 4] = extras.length;
      }
      bytes[2 * index] =
        directionCodes[record.direction] |
        (record.transport === 'udp' ? flagUdp : 0) |
        (record.truncated ? flagTruncated : 0);
      bytes[2 * index + 1] = record.charset === null ? 0 : charsetCodes[record.charset];
      lengths[index] = record.preview.length;
      previews[index] = record.preview;
      index += 1;
    }
  }
  const json: FrameJson = {
    batch: { seq: batch.seq, events },
    counts,
    sessions: sessions.items,
    addresses: addresses.items,
    extras,
  };
  const encoder = new TextEncoder();
  const jsonBytes = encoder.encode(JSON.stringify(json));
  const previewText = previews.join('');
  const at = columns(jsonBytes.byteLength, count);
  // Base64 is ASCII: one byte per character.
  const frame = new Uint8Array(at.previews + previewText.length);
  const head = new Uint32Array(frame.buffer, 0, 2);
  head[0] = eventsFrameVersion;
  head[1] = jsonBytes.byteLength;
  frame.set(jsonBytes, 8);
  new Float64Array(frame.buffer, at.numbers, 2 * count).set(numbers);
  new Uint32Array(frame.buffer, at.integers, 5 * count).set(integers);
  new Uint16Array(frame.buffer, at.lengths, count).set(lengths);
  frame.set(bytes, at.bytes);
  encoder.encodeInto(previewText, frame.subarray(at.previews));
  return frame;
}

/** The batch a frame from `encodeEventsFrame` carries; throws on a frame it cannot read. */
export function decodeEventsFrame(message: Uint8Array): EventBatch {
  // Typed arrays need their columns aligned: a frame received inside a larger buffer
  // (Node's WebSocket pools them) is copied to a buffer of its own first.
  const frame = message.byteOffset % 8 === 0 ? message : new Uint8Array(message);
  if (frame.byteLength < 8) throw new Error('events frame cut short');
  const head = new Uint32Array(frame.buffer, frame.byteOffset, 2);
  if (head[0] !== eventsFrameVersion)
    throw new Error(`not an events frame of version ${eventsFrameVersion}`);
  const jsonLength = head[1]!;
  if (8 + jsonLength > frame.byteLength) throw new Error('events frame cut short');
  const json = JSON.parse(new TextDecoder().decode(frame.subarray(8, 8 + jsonLength))) as FrameJson;
  const count = json.counts.reduce((sum, each) => sum + each, 0);
  const at = columns(jsonLength, count);
  if (at.previews > frame.byteLength) throw new Error('events frame cut short');
  const base = frame.byteOffset;
  const numbers = new Float64Array(frame.buffer, base + at.numbers, 2 * count);
  const integers = new Uint32Array(frame.buffer, base + at.integers, 5 * count);
  const lengths = new Uint16Array(frame.buffer, base + at.lengths, count);
  const bytes = frame.subarray(at.bytes, at.bytes + 2 * count);
  const previewText = new TextDecoder('ascii').decode(frame.subarray(at.previews));
  let previewAt = 0;
  let index = 0;
  let listIndex = 0;
  const events = json.batch.events.map((event): EngineEvent => {
    if (event.type !== 'log.records') return event;
    const listCount = json.counts[listIndex++] ?? 0;
    const records = new Array<LogRecordPreview>(listCount);
    for (let item = 0; item < listCount; item++, index++) {
      const integer = 5 * index;
      const local = integers[integer + 2]!;
      const remote = integers[integer + 3]!;
      const extra = integers[integer + 4]!;
      const flags = bytes[2 * index]!;
      const charset = bytes[2 * index + 1]!;
      const detail = extra === 0 ? noExtra : json.extras[extra - 1]!;
      const previewLength = lengths[index]!;
      records[item] = {
        id: numbers[2 * index]!,
        atUs: numbers[2 * index + 1]!,
        sessionId: json.sessions[integers[integer + 1]!]!,
        transport: (flags & flagUdp) !== 0 ? 'udp' : 'tcp',
        direction: directions[flags & 3]!,
        local: local === 0 ? null : json.addresses[local - 1]!,
        remote: remote === 0 ? null : json.addresses[remote - 1]!,
        size: integers[integer]!,
        event: detail[0],
        message: detail[1],
        params: detail[2],
        charset: charset === 0 ? null : (charsets[charset - 1] as Charset),
        preview: previewText.slice(previewAt, previewAt + previewLength),
        truncated: (flags & flagTruncated) !== 0,
      };
      previewAt += previewLength;
    }
    return { type: 'log.records', records };
  });
  if (previewAt !== previewText.length) throw new Error('events frame previews do not add up');
  return { seq: json.batch.seq, events };
}

const noExtra: FrameJson['extras'][number] = [null, null, null];

/** A browser-mode frame from the host: a reply as JSON text, events as a binary frame. */
export function decodeServerFrame(data: string | ArrayBuffer | Uint8Array): WebServerFrame {
  if (typeof data === 'string') return JSON.parse(data) as WebServerFrame;
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  return { kind: 'events', batch: decodeEventsFrame(bytes) };
}
