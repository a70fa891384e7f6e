/** The element's shadow DOM: the stage with the case, glass and canvas, the hidden input for phone keyboards, the key bar and the tool bar (styles.ts styles it). */

/** Kept in the hidden input so a phone's backspace has something to delete (and fires an event). */
export const IME_SENTINEL = ' ';

export const TEMPLATE = `
<div class="root" part="root">
  <div class="stage" part="stage">
    <div class="case" part="bezel">
      <div class="glass"><canvas part="screen" role="img" aria-label="Minitel screen"></canvas></div>
      <div class="badge" aria-hidden="true">TELETEL</div>
    </div>
    <input class="ime" type="text" aria-label="Minitel keyboard" autocomplete="off" autocapitalize="off"
      autocorrect="off" spellcheck="false" enterkeyhint="send" inputmode="text">
  </div>
  <div class="keys" part="keys" role="toolbar" aria-label="Minitel function keys"></div>
  <div class="bar" part="toolbar">
    <span class="status" role="status" aria-live="polite"></span>
    <button type="button" class="reconnect" hidden>Reconnect</button>
    <form class="connect">
      <input type="text" name="url" placeholder="wss://server/…" aria-label="Server address" spellcheck="false">
      <button type="submit">Connect</button>
    </form>
    <label>Speed <select class="speed" aria-label="Line speed"></select></label>
    <button type="button" data-action="copy" title="Copy the screen as text">Copy text</button>
    <button type="button" data-action="png" title="Save the screen as a PNG picture">PNG</button>
    <button type="button" data-action="record" aria-pressed="false" title="Record every byte received as a .vdt file">● Record</button>
    <button type="button" data-action="open" title="Replay a .vdt file (or drop one on the screen)">Open .vdt</button>
    <button type="button" data-action="fullscreen" title="Fullscreen">Fullscreen</button>
    <input type="file" accept=".vdt,.vtx,application/octet-stream" hidden>
  </div>
</div>`;
