/**
 * The one stylesheet all three reports inline. System fonts only (no downloads), CSS variables
 * for light and dark (`prefers-color-scheme`, screen only — print is always light), chart
 * colors as classes so the inline SVGs follow the theme, and a print layout.
 */
export const STYLES = String.raw`
:root{color-scheme:light dark;
--bg:#f4f6f8;--card:#fff;--fg:#1a1f26;--muted:#5a6470;--line:#d8dde3;--gridline:#e9ecf0;--accent:#0a62c2;--accent-fg:#fff;--warn-bg:#fff4d6;--warn-fg:#6b4a00;
--ctl:#1f6fd1;--atl:#c2255c;--tsb:#e67700;--current:#1f6fd1;--previous:#9aa3ad;--model:#c2255c;--load:#8fb4e6;--hours:#e67700;--ftp:#1f6fd1;--wkg:#2b8a3e;
--z1:#a5adb6;--z2:#4c8ef0;--z3:#2fa36b;--z4:#e8b400;--z5:#f08c28;--z6:#e03131;--z7:#9c36b5;
--ph-base:#74a9e8;--ph-build:#f59f00;--ph-peak:#e03131;--ph-taper:#2f9e44;--ph-recovery:#adb5bd;
--easy:#2f9e44;--moderate:#e8a200;--hard:#d6336c;
--good:#2b8a3e;--bad:#c92a2a;--neutral:#b35c00}
@media screen and (prefers-color-scheme:dark){:root{
--bg:#0e1114;--card:#171b20;--fg:#e4e8ec;--muted:#9aa6b2;--line:#2b323b;--gridline:#222830;--accent:#5aa2f5;--accent-fg:#0e1114;--warn-bg:#3b2f0c;--warn-fg:#ffd98a;
--ctl:#5aa2f5;--atl:#f06595;--tsb:#ffa94d;--current:#5aa2f5;--previous:#6c7783;--model:#f06595;--load:#3a5f8f;--hours:#ffa94d;--ftp:#5aa2f5;--wkg:#69db7c;
--z1:#6c7783;--z2:#4c8ef0;--z3:#37b24d;--z4:#f1c40f;--z5:#ff922b;--z6:#fa5252;--z7:#be4bdb;
--ph-base:#4d7fbf;--ph-build:#d9870b;--ph-peak:#e03131;--ph-taper:#2f9e44;--ph-recovery:#5c656f;
--good:#69db7c;--bad:#ff8787;--neutral:#ffc078}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans",sans-serif;overflow-wrap:anywhere}
.page{max-width:1120px;margin:0 auto;padding:12px}
a{color:var(--accent)}
h1{font-size:1.45rem;line-height:1.25;margin:.2rem 0 .3rem}
h2{font-size:1.15rem;margin:0 0 .5rem}
h3{font-size:1rem;margin:.6rem 0 .3rem}
p{margin:.4rem 0}
ul,ol{padding-left:1.3rem;margin:.4rem 0}
li{margin:.15rem 0}
.muted{color:var(--muted)}
.small{font-size:.85rem}
header.top .period{color:var(--muted);margin:0}
nav.files{display:flex;flex-wrap:wrap;gap:6px;margin:.6rem 0 .2rem}
nav.files a{display:inline-block;padding:5px 11px;border:1px solid var(--line);border-radius:999px;text-decoration:none;color:var(--fg);background:var(--card);font-size:.9rem}
nav.files a[aria-current=page]{background:var(--accent);border-color:var(--accent);color:var(--accent-fg)}
.banner{background:var(--warn-bg);color:var(--warn-fg);border-radius:8px;padding:8px 12px;margin:10px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;margin:12px 0;min-width:0}
.cols{display:grid;gap:12px;grid-template-columns:minmax(0,1fr)}
.cols>.card{margin:0}
@media (min-width:860px){.cols.two{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}.cols.two>.wide{grid-column:1/-1}}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(112px,1fr));gap:8px;margin:0;padding:0;list-style:none}
@media (min-width:860px){.kpis{grid-template-columns:repeat(6,minmax(0,1fr))}}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:7px 9px;margin:0;min-width:0}
.kpi .k-label{font-size:.8rem;color:var(--muted);text-transform:none}
.kpi .k-value{font-size:1.35rem;white-space:nowrap;font-weight:700;line-height:1.2;font-variant-numeric:tabular-nums}
.kpi .k-unit{font-size:.78rem;font-weight:500;color:var(--muted);margin-left:.15em}
.kpi .k-trend{font-size:.8rem;color:var(--muted)}
.kpi .k-trend .arrow{font-weight:700;color:var(--accent)}
.kpi .k-trend.tone-good,.kpi .k-trend.tone-good .arrow,.tone-good{color:var(--good)}
.kpi .k-trend.tone-bad,.kpi .k-trend.tone-bad .arrow,.tone-bad{color:var(--bad)}
.kpi .k-trend.tone-neutral,.kpi .k-trend.tone-neutral .arrow,.tone-neutral{color:var(--neutral)}
.kpi .k-note{font-size:.72rem;color:var(--muted);line-height:1.3}
.kpi-caption{margin:4px 0 0}
.insights li{margin:.35rem 0}
.files-list{display:grid;gap:8px;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));list-style:none;padding:0}
.files-list a{display:block;padding:10px 12px;border:1px solid var(--line);border-radius:8px;text-decoration:none;background:var(--card);color:var(--fg)}
.files-list a strong{color:var(--accent)}
.table-scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:.88rem}
caption{text-align:left;color:var(--muted);font-size:.8rem;padding:2px 0}
th,td{padding:5px 7px;text-align:left;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:normal}
thead th{font-size:.78rem;color:var(--muted);font-weight:600;vertical-align:bottom}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.num{white-space:nowrap}
td.nowrap{white-space:nowrap}
th button{all:unset;cursor:pointer;display:inline-flex;gap:3px;align-items:center}
th button:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
th[aria-sort=ascending] button::after{content:"▲";font-size:.7em}
th[aria-sort=descending] button::after{content:"▼";font-size:.7em}
.phase{display:inline-block;white-space:nowrap;padding:0 7px;border-radius:999px;font-size:.78rem;font-weight:600;color:#fff}
.phase.ph-base{background:#2f6fba}.phase.ph-build{background:#b86e00}.phase.ph-peak{background:#c92a2a}.phase.ph-taper{background:#2b8a3e}.phase.ph-recovery{background:#6c757d}
figure.chart{margin:0;min-width:0}
.chart-title{font-weight:650;margin:0 0 4px}
svg.plot{display:block;width:100%;height:auto}
svg.workout-plot{display:block;width:100%;height:auto;max-width:480px;margin:4px 0}
svg text{font-family:inherit}
.tick{font-size:10px;fill:var(--muted)}
.tick.small{font-size:9px}
.tick.unit{font-weight:600}
.label{font-size:11px;fill:var(--fg)}
.value{font-size:10.5px;fill:var(--fg);font-weight:600}
.annot{font-size:10px;fill:var(--muted)}
.annot.strong{fill:var(--fg);font-weight:650}
.inbar{font-size:11px;fill:#fff;font-weight:650}
.gridline{stroke:var(--gridline);stroke-width:1}
.axis-line{stroke:var(--line);stroke-width:1}
.zero{stroke:var(--muted);stroke-width:.8;stroke-dasharray:2 2}
.today{stroke:var(--muted);stroke-width:.8;stroke-dasharray:3 3}
.ftp-line{stroke:var(--muted);stroke-width:.8;stroke-dasharray:3 2}
.line{fill:none;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
.line.dashed{stroke-dasharray:5 4;stroke-linecap:butt}
.l-ctl{stroke:var(--ctl);stroke-width:2.4}.l-atl{stroke:var(--atl);stroke-width:1.3}.l-tsb{stroke:var(--tsb);stroke-width:1.3}
.d-ctl{fill:var(--ctl)}.d-atl{fill:var(--atl)}.d-tsb{fill:var(--tsb)}
.l-current{stroke:var(--current);stroke-width:2.4}.l-previous{stroke:var(--previous);stroke-width:1.8}.l-model{stroke:var(--model);stroke-width:1.5}.d-current{fill:var(--current);stroke:var(--card);stroke-width:1}
.b-load{fill:var(--load)}.l-hours{stroke:var(--hours);stroke-width:1.6}.d-hours{fill:var(--hours)}
.l-ftp{stroke:var(--ftp);stroke-width:2.2}.l-wkg{stroke:var(--wkg);stroke-width:1.6}.d-ftp{fill:var(--ftp);stroke:var(--card);stroke-width:1}
.z1{fill:var(--z1)}.z2{fill:var(--z2)}.z3{fill:var(--z3)}.z4{fill:var(--z4)}.z5{fill:var(--z5)}.z6{fill:var(--z6)}.z7{fill:var(--z7)}
.prev{opacity:.45}
.ph-base{fill:var(--ph-base)}.ph-build{fill:var(--ph-build)}.ph-peak{fill:var(--ph-peak)}.ph-taper{fill:var(--ph-taper)}.ph-recovery{fill:var(--ph-recovery)}
.target{stroke:var(--fg);stroke-width:1.6}
.p-easy{fill:var(--easy)}.p-moderate{fill:var(--moderate)}.p-hard{fill:var(--hard)}
.l-decoupling{stroke:var(--muted);stroke-width:1.2}.d-good{fill:var(--easy);stroke:var(--card);stroke-width:1}.d-drift{fill:var(--hard);stroke:var(--card);stroke-width:1}
.legend{display:flex;flex-wrap:wrap;gap:2px 14px;list-style:none;padding:0;margin:6px 0 0;font-size:.8rem;color:var(--muted)}
.legend li{margin:0}
.swatch{display:inline-block;width:18px;height:0;border-top:3px solid currentColor;vertical-align:middle;margin-right:5px}
.swatch.dashed{border-top-style:dashed}
.swatch.box,.swatch.dot{width:11px;height:11px;border:0;border-radius:2px;background:currentColor}
.swatch.dot{border-radius:50%}
.s-ctl{color:var(--ctl)}.s-atl{color:var(--atl)}.s-tsb{color:var(--tsb)}.s-muted{color:var(--muted)}
.s-current{color:var(--current)}.s-previous{color:var(--previous)}.s-model{color:var(--model)}
.s-load{color:var(--load)}.s-hours{color:var(--hours)}.s-ftp{color:var(--ftp)}.s-wkg{color:var(--wkg)}
.s-zone{color:var(--z4)}.s-zone.prev{opacity:.45}
.s-easy{color:var(--easy)}.s-moderate{color:var(--moderate)}.s-hard{color:var(--hard)}
.s-good{color:var(--easy)}.s-drift{color:var(--hard)}
.s-ph-base{color:var(--ph-base)}.s-ph-build{color:var(--ph-build)}.s-ph-peak{color:var(--ph-peak)}.s-ph-taper{color:var(--ph-taper)}.s-ph-recovery{color:var(--ph-recovery)}.s-target{color:var(--fg)}
.note{font-size:.8rem;color:var(--muted);margin:4px 0 0}
figure.chart+figure.chart{margin-top:16px}
table.rides td{white-space:nowrap}
table.rides td:nth-child(2){white-space:normal;min-width:8em;overflow-wrap:anywhere}
table.w-prime td:nth-child(2){overflow-wrap:anywhere}
table td.text{white-space:normal;min-width:8em}
.clip{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3;line-clamp:3;overflow:hidden;max-width:24em;white-space:normal;overflow-wrap:anywhere;word-break:break-word}
table.rides th:first-child,table.rides td:first-child{position:sticky;left:0;background:var(--card);z-index:1;box-shadow:1px 0 0 var(--line)}
details.data{margin-top:6px;font-size:.85rem}
details.data summary{cursor:pointer;color:var(--accent)}
.empty-note{color:var(--muted);font-style:italic;margin:.3rem 0}
.sw-list{display:grid;gap:10px;grid-template-columns:minmax(0,1fr)}
@media (min-width:860px){.sw-list{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
.sw{border-left:4px solid var(--easy);padding:4px 10px;background:var(--card);border-radius:4px}
.sw.limiter{border-left-color:var(--hard)}
.sw h3{margin:.1rem 0}
.sw .figures{font-size:.8rem;color:var(--muted)}
.week{margin:14px 0}
.week-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 10px}
.week-head h3{margin:0}
.week-meta{font-size:.85rem;color:var(--muted)}
.workouts{display:grid;gap:10px;grid-template-columns:minmax(0,1fr);margin-top:8px}
@media (min-width:700px){.workouts{grid-template-columns:repeat(auto-fill,minmax(300px,1fr))}}
.workout{border:1px solid var(--line);border-radius:8px;padding:8px 10px;min-width:0}
.workout .w-day{font-size:.78rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.workout h4{margin:0;font-size:.98rem}
.workout .w-meta{font-size:.82rem;color:var(--muted)}
.workout .w-desc{font-size:.82rem;margin:2px 0 0}
.badge{display:inline-block;font-size:.7rem;padding:0 6px;border-radius:999px;border:1px solid var(--line);color:var(--muted);vertical-align:middle;margin-left:4px}
.badge.hard{border-color:var(--hard);color:var(--hard)}
.badge.moderate{border-color:var(--moderate);color:var(--fg)}
.rest{font-size:.82rem;color:var(--muted);margin:6px 0 0}
.downloads{display:flex;flex-wrap:wrap;gap:6px;list-style:none;padding:0}
.downloads a{display:inline-block;padding:5px 10px;border:1px solid var(--line);border-radius:6px;text-decoration:none;font-size:.85rem;background:var(--card)}
footer.foot{color:var(--muted);font-size:.8rem;margin:18px 0 8px;border-top:1px solid var(--line);padding-top:8px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
html.snapshot nav.files,html.snapshot details.data,html.snapshot .no-snapshot{display:none}
@media (max-width:420px){body{font-size:14.5px}.page{padding:10px}.card{padding:10px 11px}th,td{padding:4px 5px}table.plan-glance{font-size:.8rem}table.plan-glance th,table.plan-glance td{padding:4px 3px}.phase{padding:0 5px}table.rides td:nth-child(2){min-width:6.5em}}
@media print{
@page{size:A4;margin:12mm}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{background:#fff;font-size:10pt}
.page{max-width:none;padding:0}
nav.files,details.data,.no-print{display:none!important}
.card{border-color:#ccc;break-inside:avoid}
.card.flow{break-inside:auto}
figure.chart,.workout,.kpi,.sw,tr{break-inside:avoid}
h2,h3,.week-head{break-after:avoid}
.cols.two.charts{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
.workouts{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
.sw-list{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
a{color:inherit;text-decoration:none}
.table-scroll{overflow:visible}
table.rides{font-size:8pt}
table.rides th:first-child,table.rides td:first-child{position:static}
}
`;
