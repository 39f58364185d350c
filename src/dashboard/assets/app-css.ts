/** The dashboard's only stylesheet, served from /dashboard/assets/app.css (no external fonts or CDNs). */
export const APP_CSS = `/* Zinda dashboard: readable on an office monitor and a tablet, keyboard first, no external fonts. */
:root { --fg:#14181f; --muted:#5a6270; --bg:#f6f7f9; --card:#fff; --line:#d5d9e0; --accent:#0b5cad; --ok:#1c7c3a; --warn:#a15c00; --bad:#b3261e; }
* { box-sizing: border-box; }
body { margin:0; font:16px/1.5 system-ui, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
a { color:var(--accent); }
:focus-visible { outline:3px solid #ffbf47; outline-offset:2px; }
header.top { display:flex; flex-wrap:wrap; gap:1rem; align-items:center; padding:.6rem 1.2rem; background:#12355b; color:#fff; }
header.top a { color:#fff; text-decoration:none; font-weight:600; }
header.top nav { display:flex; gap:1rem; flex:1; }
header.top .who { font-size:.9rem; opacity:.9; }
header.top form { margin:0; }
.langs a { margin-left:.4rem; font-weight:400; }
.langs a[aria-current] { text-decoration:underline; font-weight:700; }
main { padding:1.2rem; max-width:90rem; margin:0 auto; }
h1 { font-size:1.5rem; margin:.2rem 0 1rem; }
h2 { font-size:1.15rem; margin:1.5rem 0 .6rem; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:1rem; margin-bottom:1rem; }
table { border-collapse:collapse; width:100%; background:var(--card); }
th, td { text-align:left; padding:.45rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:.85rem; color:var(--muted); font-weight:600; }
button, .button { font:inherit; padding:.5rem 1rem; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; text-decoration:none; display:inline-block; }
button.secondary { background:#fff; color:var(--accent); }
input, select, textarea { font:inherit; padding:.4rem .5rem; border:1px solid var(--line); border-radius:6px; max-width:100%; }
label { display:block; font-weight:600; margin:.6rem 0 .2rem; }
.filters { display:flex; flex-wrap:wrap; gap:.8rem; align-items:flex-end; }
.filters label { margin:0 0 .2rem; }
.chips { display:flex; flex-wrap:wrap; gap:.4rem; margin:.5rem 0 1rem; }
.chip { border:1px solid var(--line); border-radius:999px; padding:.1rem .7rem; background:#fff; font-size:.9rem; }
.code { font-family:ui-monospace, monospace; font-size:.85rem; }
.flash { padding:.7rem 1rem; border-radius:6px; margin-bottom:1rem; }
.flash.ok { background:#e6f4ea; color:var(--ok); } .flash.bad { background:#fdecea; color:var(--bad); }
.frames { display:grid; grid-template-columns:repeat(auto-fill, minmax(120px, 1fr)); gap:.5rem; margin-top:.75rem; }
.frame-cell p { margin:.2rem 0 0; font-size:.8rem; }
.images { display:grid; grid-template-columns:repeat(auto-fit, minmax(260px, 1fr)); gap:1rem; }
figure { margin:0; }
figure .frame { position:relative; display:inline-block; width:100%; background:#222; border-radius:6px; overflow:hidden; }
figure img { display:block; width:100%; height:auto; }
figure .overlay { position:absolute; inset:0; width:100%; height:100%; pointer-events:none; }
figure .overlay rect { fill:none; stroke:#33d17a; stroke-width:3; }
figure .gone { padding:3rem 1rem; color:#ddd; text-align:center; }
figcaption { font-weight:600; margin-top:.3rem; }
.band { font-size:1.2rem; font-weight:700; padding:.3rem .8rem; border-radius:6px; display:inline-block; }
.band.strong { background:#e6f4ea; color:var(--ok); } .band.weak { background:#fff4e5; color:var(--warn); } .band.none { background:#fdecea; color:var(--bad); }
.decide fieldset { border:1px solid var(--line); border-radius:6px; margin:0 0 .8rem; }
.decide legend { font-weight:600; }
.decide .option { display:flex; gap:.5rem; align-items:center; font-weight:400; margin:.3rem 0; }
.login { max-width:24rem; margin:4rem auto; }
.muted { color:var(--muted); }
progress { width:100%; height:1.2rem; }
@media (max-width: 700px) { main { padding:.6rem; } th, td { padding:.35rem; font-size:.9rem; } }
`;
