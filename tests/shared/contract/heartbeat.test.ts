import { describe, expect, it } from 'vitest';
import { patternProblem } from '@shared/contract/heartbeat';

describe('patterns of heartbeats and reply rules', () => {
  it('says where a regex goes wrong, counting from 1, and why', () => {
    expect(patternProblem('regex', 'a)b')).toBe(
      "is not a valid regular expression at position 2: Unmatched ')'",
    );
    // "\q" is no escape in a Unicode regex; the q is the 4th character.
    expect(patternProblem('regex', 'ab\\qc')).toBe(
      'is not a valid regular expression at position 4: Invalid escape',
    );
    expect(patternProblem('regex', 'ab(c')).toBe(
      'is not a valid regular expression at its end: Unterminated group',
    );
    expect(patternProblem('regex', '(?<n>a)\\k<m>')).toBe(
      'is not a valid regular expression at its end: Invalid named capture referenced',
    );
  });

  it('accepts what the runtime accepts', () => {
    for (const pattern of ['^ping(\\d+)$', '(?<id>\\w+)=\\k<id>', '\\p{L}+', '[\\u4e00-\\u9fff]+'])
      expect(patternProblem('regex', pattern)).toBeNull();
    expect(() => new RegExp('\\p{L}+', 'u')).not.toThrow();
  });

  it('names the position of a bad hex pattern, and refuses empty text', () => {
    expect(patternProblem('hex', 'AA ?x')).toMatch(/"\?x" at position 4/);
    expect(patternProblem('exact', '')).toBe('must not be empty');
  });
});
