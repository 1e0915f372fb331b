/**
 * Puts text on the clipboard. The async Clipboard API needs a permission the desktop
 * window refuses on principle, so a hidden textarea and the copy command back it up
 * (allowed from the click that asked for it). True when either worked.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'clipboard-buffer';
    document.body.append(area);
    area.select();
    try {
      return document.execCommand('copy');
    } finally {
      area.remove();
    }
  }
}
