import type { SocketAddress } from '@shared/contract';
import { formatAddress } from '@shared/endpoint';

export function endpoint(address: SocketAddress | null): string {
  return formatAddress(address, '—');
}

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(count: number): string {
  let value = count;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${count} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

export function rate(bytesPerSecond: number): string {
  return `${bytes(bytesPerSecond)}/s`;
}

/** HH:MM:SS.micro in local time, the way packet tools print it. */
export function timeOfDay(atUs: number): string {
  const date = new Date(Math.floor(atUs / 1000));
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(
    atUs % 1_000_000,
    6,
  )}`;
}

/** "1h 2m 3s", with the unit words of the user's language. */
export function duration(
  ms: number,
  units: { h: string; m: string; s: string } = { h: 'h', m: 'm', s: 's' },
): string {
  const seconds = Math.floor(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0
    ? `${h}${units.h} ${m}${units.m} ${s}${units.s}`
    : m > 0
      ? `${m}${units.m} ${s}${units.s}`
      : `${s}${units.s}`;
}

/**
 * When a socket opened and its age, "10:15:28.537736 (1m 2s)": the age stops where
 * it closed. `describe` words the age (a kind may say "connected for 1m 2s").
 */
export function openedSince(
  sinceUs: number | null,
  closedAtUs: number | null,
  nowMs: number,
  units: { h: string; m: string; s: string },
  describe: (age: string) => string = (age) => age,
): string {
  if (sinceUs === null) return '—';
  const endMs = closedAtUs === null ? nowMs : closedAtUs / 1000;
  const age = duration(Math.max(0, endMs - sinceUs / 1000), units);
  return `${timeOfDay(sinceUs)} (${describe(age)})`;
}
