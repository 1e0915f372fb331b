import { z } from 'zod';

// Our words for every check a schema does not word itself: no call is ever answered
// with the validator's own English ("Invalid input"). Schemas that say more keep theirs.

const typeWords: Record<string, string> = {
  string: 'must be text',
  number: 'must be a number',
  int: 'must be a whole number',
  boolean: 'must be true or false',
  object: 'must be an object',
  array: 'must be a list',
  null: 'must be null',
  undefined: 'must be left out',
  bigint: 'must be a number',
};

function sizeWords(
  origin: string,
  bound: number | bigint,
  inclusive: boolean | undefined,
  most: boolean,
): string {
  const limit = Number(bound);
  if (origin === 'string')
    return most
      ? `must be at most ${inclusive === false ? limit - 1 : limit} characters long`
      : `must be at least ${inclusive === false ? limit + 1 : limit} characters long`;
  if (origin === 'array' || origin === 'set')
    return most
      ? `must have at most ${inclusive === false ? limit - 1 : limit} items`
      : `must have at least ${inclusive === false ? limit + 1 : limit} items`;
  if (most) return inclusive === false ? `must be less than ${limit}` : `must be at most ${limit}`;
  return inclusive === false ? `must be more than ${limit}` : `must be at least ${limit}`;
}

/** Words for one issue, naming what the value must be. */
export function issueWords(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'is required'
        : (typeWords[issue.expected] ?? `must be ${issue.expected}`);
    case 'too_big':
      return sizeWords(issue.origin, issue.maximum, issue.inclusive, true);
    case 'too_small':
      return sizeWords(issue.origin, issue.minimum, issue.inclusive, false);
    case 'invalid_value':
      return `must be ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}`;
    case 'invalid_format':
      return `is not in the expected form (${issue.format})`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `has fields that do not belong: ${issue.keys.slice(0, 5).join(', ')}`;
    case 'invalid_union':
      return 'matches none of the accepted forms';
    case 'invalid_key':
      return 'has a key that is not allowed';
    case 'invalid_element':
      return 'has an item that is not allowed';
    default:
      return 'is not valid';
  }
}

z.config({ customError: issueWords });
