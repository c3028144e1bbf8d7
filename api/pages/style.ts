// The pages' one stylesheet, served as a file so the pages' Content-Security-Policy can forbid
// inline styles and every script. The look follows the receipt and document verification pages
// (system font, green for good, red for bad), widened for tables; phones first.
export const STYLESHEET = `
:root{--fg:#1b1f24;--muted:#59636e;--line:#d0d7de;--bg:#f6f8fa;--ok:#0a6b2d;--okbg:#e6f4ea;--warn:#8a5300;--warnbg:#fff4d6;
--bad:#b00020;--badbg:#fde7ea;--na:#59636e;--nabg:#eef1f4;--link:#0b57d0;--brand:#0b4a6f}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:var(--fg);line-height:1.45;background:#fff}
a{color:var(--link)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #f0a400;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem;z-index:9}
header.top{background:var(--brand);color:#fff}
header.top .bar{max-width:76rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center}
header.top .brand{font-weight:700;font-size:1.05rem;color:#fff;text-decoration:none;margin-right:auto}
header.top .who{font-size:.85rem;opacity:.9}
header.top form{margin:0}
header.top button{background:transparent;color:#fff;border:1px solid #ffffff99;border-radius:4px;padding:.3rem .7rem;font:inherit;font-size:.85rem;cursor:pointer;min-height:2.2rem}
header.top form.search{display:flex;gap:.3rem;flex:1 1 14rem;max-width:24rem}
header.top form.search input{flex:1 1 auto;min-width:0;min-height:2.2rem;padding:.3rem .5rem;border:0}
.pager{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;margin:.2rem 0 1rem;font-size:.92rem}
.pager a,.pager span{padding:.35rem 0}
.cards a.card{color:inherit;text-decoration:none;display:block}
.cards a.card:hover .k,.cards a.card:focus-visible .k{text-decoration:underline}
.cards a.card[aria-current=true]{outline:2px solid var(--brand)}
nav.main{background:#083a58}
nav.main ul{max-width:76rem;margin:0 auto;padding:0 .5rem;list-style:none;display:flex;flex-wrap:wrap}
nav.main a{display:block;color:#fff;text-decoration:none;padding:.65rem .6rem;font-size:.95rem}
nav.main a[aria-current=page]{box-shadow:inset 0 -3px 0 #f0a400;font-weight:600}
main{max-width:76rem;margin:0 auto;padding:1rem}
main.narrow{max-width:36rem}
h1{font-size:1.45rem;margin:.2rem 0 .3rem}
h2{font-size:1.15rem;margin:1.4rem 0 .5rem}
p.sub{color:var(--muted);margin:.1rem 0 1rem}
.tabs{display:flex;flex-wrap:wrap;gap:.4rem;margin:.4rem 0 1rem;padding:0;list-style:none}
.tabs a{display:inline-block;padding:.4rem .8rem;border:1px solid var(--line);border-radius:999px;text-decoration:none;font-size:.9rem}
.tabs a[aria-current=page]{background:var(--brand);color:#fff;border-color:var(--brand)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.6rem;margin:.5rem 0 1rem}
.card{border:1px solid var(--line);border-radius:6px;padding:.6rem .75rem;background:var(--bg)}
.card .k{font-size:.8rem;color:var(--muted);display:block}
.card .v{font-size:1.25rem;font-weight:700;display:block;font-variant-numeric:tabular-nums}
.card .s{font-size:.8rem;color:var(--muted)}
.card.c-ok{background:var(--okbg);border-color:#b7dfc3}.card.c-bad{background:var(--badbg);border-color:#f3b8c1}.card.c-warn{background:var(--warnbg);border-color:#f1d58f}
.card.c-bad .v{color:var(--bad)}.card.c-ok .v{color:var(--ok)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:6px;margin:.4rem 0 1rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.5rem .6rem;background:var(--bg);border-bottom:1px solid var(--line)}
th,td{padding:.45rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:var(--bg);font-size:.82rem;color:var(--muted);font-weight:600;white-space:nowrap}
tbody tr:last-child th,tbody tr:last-child td{border-bottom:0}
tbody th{font-weight:600;white-space:nowrap}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tfoot td,tfoot th{font-weight:700;background:var(--bg);border-top:2px solid var(--line);border-bottom:0}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:999px;font-size:.8rem;font-weight:600;white-space:nowrap}
.b-ok{background:var(--okbg);color:var(--ok)}.b-warn{background:var(--warnbg);color:var(--warn)}.b-bad{background:var(--badbg);color:var(--bad)}.b-na{background:var(--nabg);color:var(--na)}
.ok{color:var(--ok);font-weight:bold}.bad{color:var(--bad);font-weight:bold}.muted{color:var(--muted)}
.note{padding:.6rem .8rem;border-radius:6px;margin:.6rem 0;border:1px solid}
.note.ok{background:var(--okbg);border-color:#b7dfc3}.note.bad{background:var(--badbg);border-color:#f3b8c1;color:var(--bad)}.note.info{background:#eaf2fd;border-color:#b9d2f5;color:var(--fg);font-weight:normal}
form.filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end;margin:.4rem 0 .8rem}
label{display:block;font-size:.85rem;font-weight:600;margin-bottom:.2rem}
.field{display:flex;flex-direction:column;min-width:8rem}
input,select,textarea{font:inherit;padding:.45rem .55rem;border:1px solid #8c959f;border-radius:4px;background:#fff;min-height:2.6rem;max-width:100%}
textarea{min-height:4rem;width:100%}
button,.button{font:inherit;font-weight:600;padding:.5rem 1rem;border-radius:4px;border:1px solid var(--brand);background:var(--brand);color:#fff;cursor:pointer;min-height:2.6rem;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:var(--brand)}
.stack>*+*{margin-top:.6rem}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:.8rem}
.panel{border:1px solid var(--line);border-radius:6px;padding:.8rem;margin:.6rem 0}
.panel h2,.panel h3{margin-top:0}
.panel h2{font-size:1rem}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.2rem 0 1rem}
details.resolve{margin-top:.3rem}
details.resolve summary{cursor:pointer;color:var(--link);font-weight:600}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.4rem 0 1rem}
dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;font-weight:600}
.cal{display:grid;grid-template-columns:repeat(7,minmax(0,1fr));gap:4px;margin:.6rem 0 1rem}
.cal .dow{font-size:.8rem;color:var(--muted);text-align:center;font-weight:600;padding:.2rem 0}
.cal .day{border:1px solid var(--line);border-radius:6px;min-height:4.6rem;padding:.3rem .35rem;font-size:.8rem;display:flex;flex-direction:column;gap:.15rem;text-decoration:none;color:var(--fg);background:#fff}
.cal .day .n{font-weight:700;font-size:.95rem}
.cal .day.clean{background:var(--okbg);border-color:#b7dfc3}.cal .day.awaiting{background:var(--warnbg);border-color:#f1d58f}
.cal .day.exceptions{background:var(--badbg);border-color:#f3b8c1}.cal .day.none{background:var(--nabg)}.cal .day.future{background:#fff;color:var(--muted)}
.cal .day.today{outline:2px solid var(--brand)}
.cal .blank{min-height:1px}
.cal .day.empty{background:#fff;color:var(--muted);border-style:dashed}
fieldset.choices{border:1px solid var(--line);border-radius:6px;padding:.5rem .7rem;margin:0;min-width:0}
fieldset.choices legend{font-weight:600;font-size:.9rem;padding:0 .3rem}
fieldset.choices .scroll{margin:.3rem 0}
ul.decisions{margin:.2rem 0;padding-left:1.2rem;font-size:.88rem;color:var(--muted)}
input[type=radio]{min-height:0;width:1.3rem;height:1.3rem}
input[type=file]{min-width:0;width:100%}
.only-sm{display:none}
@media (max-width:40rem){.only-sm{display:block;font-size:.8rem;color:var(--muted)}}
.legend{display:flex;flex-wrap:wrap;gap:.4rem;font-size:.85rem;margin:.3rem 0}
.login{max-width:24rem;margin:2rem auto}
.login input{width:100%}
footer{max-width:76rem;margin:1rem auto 2rem;padding:0 1rem;color:var(--muted);font-size:.8rem}
@media (max-width:40rem){
  main{padding:.75rem}
  h1{font-size:1.25rem}
  table{font-size:.86rem}
  th,td{padding:.4rem .45rem}
  .cal{gap:2px}
  .cal .day{min-height:3.6rem;padding:.2rem;font-size:.68rem}
  .cal .day .long{display:none}
  .hide-sm{display:none}
  thead th,thead th.num{white-space:normal}
  dl.kv{grid-template-columns:1fr}
  dl.kv dd{margin-bottom:.3rem}
}
@media (min-width:40.01rem){.cal .day .short{display:none}}
@media print{header.top,nav.main,form,.tabs{display:none}main{max-width:none}}
`;
