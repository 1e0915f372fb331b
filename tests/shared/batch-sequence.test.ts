import { describe, expect, it } from 'vitest';
import { BatchSequence } from '@shared/batch-sequence';

describe('BatchSequence', () => {
  it('sees a gap only where batch numbers skip', () => {
    const sequence = new BatchSequence();
    // A page may join mid-stream: its first batch is no gap.
    expect(sequence.gapBefore(41)).toBe(false);
    expect(sequence.gapBefore(42)).toBe(false);
    expect(sequence.gapBefore(45)).toBe(true);
    expect(sequence.gapBefore(46)).toBe(false);
  });
});
