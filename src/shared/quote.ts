/** The most characters of someone's input a message quotes. */
export const quotedInputChars = 40;

/**
 * Input quoted in a message, cut to a short prefix: an error never copies a large
 * bad value back to whoever sent it.
 */
export function quoteInput(value: string): string {
  const text = value.length > quotedInputChars ? `${value.slice(0, quotedInputChars)}…` : value;
  return `"${text}"`;
}
