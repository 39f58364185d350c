/** The dashboard's only stylesheet, served from /dashboard/assets/app.css (no external fonts or CDNs). */
export const APP_CSS = `/* Zinda dashboard: readable on an office monitor and a tablet, keyboard first, no external fonts. */
:root { --fg:#14181f; --muted:#5a6270; --bg:#f6f7f9; --card:#fff; --line:#d5d9e0; --accent:#0b5cad; --ok:#1c7c3a; --warn:#a15c00; --bad:#b3261e; --tap:44px; }
* { box-sizing: border-box; }
body { margin:0; font:16px/1.45 system-ui, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
a { color:var(--accent); }
:focus-visible, [autofocus]:focus { outline:3px solid #ffbf47; outline-offset:2px; }
.skip { position:absolute; left:-999px; top:0; background:#fff; padding:.6rem 1rem; z-index:10; }
.skip:focus { left:.5rem; }
header.top { display:flex; flex-wrap:wrap; gap:.2rem 1rem; align-items:center; padding:.2rem 1.2rem; background:#12355b; color:#fff; }
header.top a { color:#fff; text-decoration:none; font-weight:600; min-height:var(--tap); display:inline-flex; align-items:center; padding:0 .4rem; }
header.top nav { display:flex; flex-wrap:wrap; gap:.2rem .6rem; flex:1; }
header.top nav a[aria-current] { text-decoration:underline; }
header.top .who { font-size:.9rem; opacity:.9; }
header.top form { margin:0; }
.langs { display:inline-flex; }
.langs a { min-width:var(--tap); justify-content:center; font-weight:400; }
.langs a[aria-current] { text-decoration:underline; font-weight:700; }
main { padding:.8rem 1.2rem; max-width:90rem; margin:0 auto; }
main:focus { outline:none; }
footer { padding:.5rem 1.2rem 1.5rem; max-width:90rem; margin:0 auto; font-size:.85rem; }
h1 { font-size:1.35rem; margin:.1rem 0 .6rem; }
h2 { font-size:1.1rem; margin:.2rem 0 .5rem; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:.8rem 1rem; margin-bottom:.8rem; }
table { border-collapse:collapse; width:100%; background:var(--card); }
th, td { text-align:left; padding:.45rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; overflow-wrap:anywhere; }
th { font-size:.85rem; color:var(--muted); font-weight:600; }
button, .button { font:inherit; min-height:var(--tap); padding:.5rem 1rem; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; text-decoration:none; display:inline-flex; align-items:center; }
button.secondary, .button.secondary { background:#fff; color:var(--accent); }
input, select, textarea { font:inherit; min-height:var(--tap); padding:.4rem .5rem; border:1px solid var(--line); border-radius:6px; max-width:100%; }
textarea { width:100%; }
label { display:block; font-weight:600; margin:.4rem 0 .2rem; }
.filters { display:flex; flex-wrap:wrap; gap:.8rem; align-items:flex-end; }
.filters label { margin:0 0 .2rem; }
.chips { display:flex; flex-wrap:wrap; gap:.4rem; margin:.5rem 0 1rem; }
.chip { border:1px solid var(--line); border-radius:999px; padding:.1rem .9rem; background:#fff; font-size:.9rem; min-height:var(--tap); display:inline-flex; align-items:center; }
ul.reasons, ul.why { margin:0; padding-left:1.1rem; }
.why li.attack { color:var(--bad); font-weight:700; }
.warning { background:#fdecea; color:var(--bad); padding:.4rem .7rem; border-radius:6px; margin:.2rem 0 .4rem; font-weight:600; }
.bad-text { color:var(--bad); font-weight:700; }
.small { font-size:.85rem; margin:.2rem 0; }
.flash { padding:.6rem 1rem; border-radius:6px; margin-bottom:.6rem; }
.flash.ok { background:#e6f4ea; color:var(--ok); } .flash.bad { background:#fdecea; color:var(--bad); }
.case-top { display:grid; grid-template-columns:minmax(0, 3fr) minmax(0, 2fr); gap:0 .8rem; }
.case-top .decision { grid-column:1 / -1; }
.face-row { display:flex; flex-wrap:wrap; gap:.6rem; }
.face-cell { margin:0; width:176px; }
.face-cell a { display:block; }
.face, .face-cell img.face { display:block; width:176px; height:176px; background:#222; border-radius:6px; object-fit:cover; }
.face.gone { color:#ddd; font-size:.85rem; padding:1rem; display:flex; align-items:center; text-align:center; }
.face-cell figcaption { font-size:.9rem; }
.zoom { display:none; position:fixed; inset:0; background:rgba(0,0,0,.85); z-index:20; align-items:center; justify-content:center; }
.zoom:target { display:flex; }
.zoom a { display:block; }
.face-large { width:min(80vw, 80vh); height:min(80vw, 80vh); display:block; object-fit:contain; }
.verdict p { margin:.3rem 0; }
.decide .outcomes { display:grid; grid-template-columns:repeat(3, minmax(0, 1fr)); gap:.6rem; }
.decide fieldset { border:1px solid var(--line); border-radius:6px; margin:0; padding:.2rem .6rem .4rem; }
.decide legend { font-weight:700; }
.decide .option { display:flex; gap:.5rem; align-items:center; font-weight:400; margin:0; min-height:var(--tap); cursor:pointer; }
.decide input[type=radio] { width:22px; height:22px; min-height:0; flex:none; margin:0; }
.decide-foot { display:flex; gap:.8rem; align-items:flex-end; margin-top:.5rem; }
.decide-foot > div { flex:1; }
.decide-foot label { margin-top:0; }
.decision dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:.2rem 1rem; margin:0 0 .4rem; }
.decision dt { color:var(--muted); } .decision dd { margin:0; }
.decision .comment { white-space:pre-wrap; }
.decision p { margin:.3rem 0; }
.frames { display:grid; grid-template-columns:repeat(auto-fill, minmax(120px, 1fr)); gap:.5rem; margin-top:.75rem; }
.frame-cell p { margin:.2rem 0 0; font-size:.8rem; }
.images { display:grid; grid-template-columns:repeat(auto-fit, minmax(260px, 1fr)); gap:1rem; }
figure { margin:0; }
figure .frame { position:relative; display:inline-block; width:100%; background:#222; border-radius:6px; overflow:hidden; }
figure .frame img { display:block; width:100%; height:auto; }
figure .overlay { position:absolute; inset:0; width:100%; height:100%; pointer-events:none; }
figure .overlay rect { fill:none; stroke:#33d17a; stroke-width:3; }
figure .gone { padding:3rem 1rem; color:#ddd; text-align:center; }
figcaption { font-weight:600; margin-top:.3rem; }
.band { font-size:1.1rem; font-weight:700; padding:.2rem .7rem; border-radius:6px; display:inline-block; }
.band.strong { background:#e6f4ea; color:var(--ok); } .band.weak { background:#fff4e5; color:var(--warn); } .band.none { background:#fdecea; color:var(--bad); }
.band.subdued { font-size:.9rem; font-weight:600; }
table.fields { margin-top:.6rem; }
tr.field-mismatch td, tr.field-mismatch th { background:#fdecea; color:var(--bad); font-weight:700; }
tr.field-match .mark { color:var(--ok); }
.pager { display:flex; gap:.6rem; margin-top:.8rem; }
.login { max-width:24rem; margin:3rem auto; }
.login input { width:100%; }
.muted { color:var(--muted); }
progress { width:100%; height:1.2rem; }
/* Narrow screens (a tablet held upright, a phone): data tables become one card per row, labels beside values. */
@media (max-width: 900px) {
  main { padding:.6rem; }
  table.cards thead { position:absolute; left:-9999px; }
  table.cards, table.cards tbody, table.cards tr, table.cards td { display:block; width:100%; }
  table.cards tr { border:1px solid var(--line); border-radius:8px; margin-bottom:.6rem; padding:.3rem .2rem; background:var(--card); }
  table.cards td { border:0; padding:.25rem .6rem; }
  table.cards td[data-label]:not([data-label=""])::before { content:attr(data-label); display:block; font-size:.8rem; color:var(--muted); font-weight:600; }
  .case-top { grid-template-columns:1fr; }
  .decide .outcomes { grid-template-columns:1fr; }
  .decide-foot { flex-direction:column; align-items:stretch; }
}
`;
