/**
 * The element's look, inside its shadow root. Everything is drawn with CSS:
 * the bezel is gradients and shadows, with no picture from anywhere.
 *
 * Sizes that depend on the screen's scale come from custom properties the
 * element sets: --screen-w and --screen-h (the canvas's CSS size) and the
 * bezel's --pad-x, --pad-top, --pad-bottom.
 */
export const STYLES = `
:host {
  display: block;
  box-sizing: border-box;
  color: #ddd;
  background: #111;
  font: 13px/1.3 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  outline: none;
  -webkit-tap-highlight-color: transparent;
}
:host([hidden]) { display: none; }
:host(:focus-within) .glass { box-shadow: 0 0 0 2px #6a8cff, inset 0 0 0 1px #000; }
:host(:fullscreen) { width: 100vw; height: 100vh; background: #000; }
* { box-sizing: border-box; }

.root { display: flex; flex-direction: column; height: 100%; gap: 6px; padding: 6px; }
.stage {
  display: flex; align-items: center; justify-content: center;
  flex: none; min-height: 0; overflow: hidden; position: relative;
}
.root.fit .stage { flex: 1 1 0; }

.case { position: relative; line-height: 0; }
.glass {
  position: relative; background: #000; line-height: 0;
  box-shadow: inset 0 0 0 1px #000;
}
canvas {
  display: block;
  width: var(--screen-w, 640px); height: var(--screen-h, 500px);
  image-rendering: pixelated; image-rendering: crisp-edges;
  touch-action: manipulation; cursor: text;
}

/* The plastic case of a Minitel, drawn: brown-grey moulding, a recessed black tube. */
.bezel .case {
  padding: var(--pad-top) var(--pad-x) var(--pad-bottom);
  border-radius: calc(var(--pad-x) * 0.9);
  background:
    linear-gradient(180deg, rgba(255,255,255,0.10), rgba(255,255,255,0) 18%, rgba(0,0,0,0) 80%, rgba(0,0,0,0.25)),
    linear-gradient(90deg, #4d4136, #5d4f42 50%, #4d4136);
  box-shadow: 0 10px 28px rgba(0,0,0,0.6), inset 0 1px 0 rgba(255,255,255,0.18), inset 0 -2px 0 rgba(0,0,0,0.35);
}
.bezel .glass {
  padding: calc(var(--pad-x) * 0.28);
  border-radius: calc(var(--pad-x) * 0.55);
  box-shadow: inset 0 0 0 2px #17120e, inset 0 4px 14px rgba(0,0,0,0.9), 0 0 0 3px #2e261f, 0 1px 0 4px rgba(255,255,255,0.06);
}
.bezel .glass::after {
  content: ""; position: absolute; inset: 0; pointer-events: none; border-radius: inherit;
  background: radial-gradient(120% 90% at 28% 12%, rgba(255,255,255,0.07), rgba(255,255,255,0) 55%);
}
.badge { display: none; }
.bezel .badge {
  display: block; position: absolute; left: 0; right: 0; bottom: calc(var(--pad-bottom) * 0.28);
  text-align: center; line-height: 1; letter-spacing: 0.35em;
  font: 600 calc(var(--pad-bottom) * 0.3) / 1 system-ui, sans-serif; color: #b9aa97;
  text-shadow: 0 -1px 0 rgba(0,0,0,0.6); user-select: none; pointer-events: none;
}
.bell .glass { animation: bell 0.2s; }
@keyframes bell { from { box-shadow: 0 0 0 3px #fff; } }

.keys { display: flex; flex-wrap: wrap; gap: 4px; justify-content: center; flex: none; }
.keys button {
  min-width: 82px; padding: 5px 8px 4px; border-radius: 4px; border: 1px solid #8d8478;
  background: linear-gradient(#e8e2d8, #c9c1b4); color: #222; cursor: pointer;
  font: 600 12px/1.15 system-ui, sans-serif; box-shadow: 0 2px 0 #6c6459; touch-action: manipulation;
}
.keys button:active { transform: translateY(2px); box-shadow: none; }
.keys kbd { display: block; font: 10px/1.2 ui-monospace, monospace; color: #5a5248; }

.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; justify-content: center; flex: none; }
.status { min-width: 16em; }
.status[data-state="connected"] { color: #8fdc8f; }
.status[data-state="connecting"] { color: #f0d070; }
.status[data-state="closed"] { color: #f08f8f; }
.bar button, .bar select, .bar input {
  font: 12px system-ui, sans-serif; padding: 3px 8px; border-radius: 3px;
  border: 1px solid #555; background: #2a2a2a; color: #eee;
}
.bar button { cursor: pointer; }
.bar button[aria-pressed="true"] { background: #7a1f1f; border-color: #c44; }
.connect { display: flex; gap: 4px; }
.connect input { width: 22em; max-width: 60vw; }
.hidden, [hidden] { display: none !important; }

/* The phone keyboard's target: focusable and on screen, but invisible. */
.ime {
  position: absolute; left: 0; top: 0; width: 1px; height: 1px; opacity: 0;
  border: 0; padding: 0; margin: 0; font-size: 16px; color: transparent; background: transparent;
  caret-color: transparent; resize: none; overflow: hidden;
}
`;
