/**
 * What the emulator hands the user as files or the clipboard: the screen as
 * text, a PNG, a recorded .vdt session. Browser APIs only (Blob, clipboard,
 * a temporary link to download).
 */

/** A file name's date part: 20261206-142503. */
export function timestamp(date = new Date()): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

/** Offers `blob` as a download named `name`. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Puts `text` on the clipboard; where the Clipboard API is refused (no permission, insecure page), the old way, inside `root`. */
export async function copyToClipboard(text: string, root: ShadowRoot | null): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    root?.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

/** A recorded session as a .vdt download. */
export function downloadRecording(bytes: Uint8Array<ArrayBuffer>): void {
  download(new Blob([bytes], { type: 'application/octet-stream' }), `minitel-${timestamp()}.vdt`);
}

/** A screenshot as a PNG download. */
export function downloadScreenshot(png: Blob): void {
  download(png, `minitel-${timestamp()}.png`);
}
