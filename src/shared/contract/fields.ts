import { z } from 'zod';
import { hostNameProblem, ipFamily, parseHostPort } from '../ip';

// Field schemas reused by every command. Messages name what is wrong; the router
// prefixes the field's name, so "host: must not be empty" reaches the user.

export const HostName = z.string().superRefine((value, context) => {
  const problem = hostNameProblem(value);
  if (problem !== null) context.addIssue({ code: 'custom', message: problem });
});

export const IpAddress = z.string().superRefine((value, context) => {
  if (value.length === 0) context.addIssue({ code: 'custom', message: 'must not be empty' });
  else if (ipFamily(value) === 0)
    context.addIssue({ code: 'custom', message: `"${value}" is not an IPv4 or IPv6 address` });
});

export const Port = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must be from 0 to 65535' })
  .max(65535, { error: 'must be from 0 to 65535' });

/** A port to reach (a connect's or a datagram's destination): 0 is not one. */
export const RemotePort = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be from 1 to 65535' })
  .max(65535, { error: 'must be from 1 to 65535' });

export const Family = z.enum(['any', 'ipv4', 'ipv6'], { error: 'must be any, ipv4 or ipv6' });
export type Family = z.infer<typeof Family>;

/** A DNS server as the user types it: "ip", "ip:port", "[v6]:port" or a bare IPv6. */
export const DnsServer = z.string().superRefine((value, context) => {
  const parsed = parseHostPort(value);
  if (typeof parsed === 'string') {
    context.addIssue({ code: 'custom', message: parsed });
  } else if (ipFamily(parsed.host) === 0) {
    context.addIssue({
      code: 'custom',
      message: `"${parsed.host}" is not an IP address (name the server by its address)`,
    });
  }
});

export const Protocol = z.enum(['tcp', 'udp'], { error: 'must be tcp or udp' });
export type Protocol = z.infer<typeof Protocol>;

/** A whole number from min to max; with unit 'ms' the messages say milliseconds. */
export function wholeNumber(min: number, max: number, unit: '' | 'ms' = '') {
  const suffix = unit === 'ms' ? ' ms' : '';
  return z
    .number({ error: 'must be a number' })
    .int({
      error: unit === 'ms' ? 'must be a whole number of milliseconds' : 'must be a whole number',
    })
    .min(min, { error: `must be at least ${min}${suffix}` })
    .max(max, { error: `must be at most ${max}${suffix}` });
}
