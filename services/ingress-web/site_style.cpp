#include "site_style.h"

namespace sb::web {

std::string_view site_stylesheet() {
    // Phone first: one column, 18px text, 48px+ tap targets; wider screens only get more margin.
    return R"css(
:root{--brand:#1d5c4a;--brand-dark:#134336;--accent:#e2792f;--ink:#1b2326;--muted:#56636a;
--line:#d5dcdf;--paper:#ffffff;--wash:#f3f6f4;--error:#b3261e;--focus:#ffbf47}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
font-size:1.125rem;line-height:1.5;color:var(--ink);background:var(--wash)}
a{color:var(--brand)}
a:focus,button:focus,input:focus,textarea:focus,.button:focus{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-9999px}
.skip:focus{left:1rem;top:1rem;background:var(--paper);padding:.5rem 1rem;z-index:10}
.wrap{max-width:40rem;margin:0 auto;padding:0 1.25rem}
.site-header{background:var(--brand);color:#fff}
.site-header .wrap{display:flex;align-items:center;justify-content:space-between;min-height:4rem}
.brand{display:flex;align-items:center;gap:.6rem;color:#fff;text-decoration:none;font-weight:700;
font-size:1.2rem;letter-spacing:.01em;min-height:48px}
.brand svg{width:2.25rem;height:2.25rem;flex:none}
.site-header nav a{color:#fff;font-weight:600;display:inline-block;padding:.75rem .25rem;min-height:48px}
.hero{background:linear-gradient(160deg,var(--brand) 0%,var(--brand-dark) 100%);color:#fff;
padding:2rem 0 2.5rem}
.hero h1{font-size:2rem;line-height:1.2;margin:0 0 .75rem}
.hero p{margin:0;font-size:1.2rem;color:#e4efe9}
main{padding:1.5rem 0 2rem}
h1{font-size:1.9rem;line-height:1.2;margin:.5rem 0 .75rem}
h2{font-size:1.35rem;line-height:1.3;margin:0 0 .5rem}
.lead{font-size:1.2rem;color:var(--muted);margin:0 0 1.5rem}
.cards{display:grid;gap:1rem;margin:0;padding:0;list-style:none}
.card{background:var(--paper);border:1px solid var(--line);border-radius:14px;padding:1.25rem;
box-shadow:0 1px 3px rgba(0,0,0,.06)}
.card h2{display:flex;align-items:center;gap:.6rem}
.card h2 svg{width:1.75rem;height:1.75rem;flex:none;color:var(--accent)}
.card p{margin:0 0 1rem;color:var(--muted)}
.card .number{font-size:1.5rem;font-weight:700;color:var(--ink);margin:0 0 1rem;letter-spacing:.02em}
.button{display:flex;align-items:center;justify-content:center;width:100%;min-height:52px;
padding:.75rem 1.25rem;border:0;border-radius:10px;background:var(--accent);color:#1b1108;
font:inherit;font-weight:700;text-decoration:none;cursor:pointer;text-align:center}
.button:hover{background:#f08a40}
.button.secondary{background:var(--paper);color:var(--brand);border:2px solid var(--brand)}
.steps{margin:2rem 0 0;padding:0;list-style:none;counter-reset:step}
.steps li{counter-increment:step;position:relative;padding:0 0 1rem 3rem;min-height:2.5rem}
.steps li::before{content:counter(step);position:absolute;left:0;top:0;width:2.1rem;height:2.1rem;
border-radius:50%;background:var(--brand);color:#fff;font-weight:700;display:flex;
align-items:center;justify-content:center}
form{background:var(--paper);border:1px solid var(--line);border-radius:14px;padding:1.25rem}
.field{margin:0 0 1.4rem}
.field label{display:block;font-weight:700;margin:0 0 .25rem}
.optional{font-weight:400;color:var(--muted)}
.hint{margin:0 0 .4rem;color:var(--muted);font-size:1rem}
input[type=text],input[type=tel],input[type=email],textarea{display:block;width:100%;
min-height:52px;padding:.7rem .8rem;font:inherit;color:var(--ink);background:#fff;
border:2px solid #8a979d;border-radius:8px}
textarea{min-height:9rem;resize:vertical}
.field.has-error{border-left:5px solid var(--error);padding-left:.9rem}
.field.has-error input,.field.has-error textarea{border-color:var(--error)}
.error{margin:0 0 .4rem;color:var(--error);font-weight:700;font-size:1rem}
.error-summary{border:3px solid var(--error);border-radius:10px;background:#fff;padding:1rem 1.1rem;
margin:0 0 1.5rem}
.error-summary h2{color:var(--error);font-size:1.2rem}
.error-summary ul{margin:0;padding-left:1.2rem}
.error-summary a{color:var(--error);font-weight:700}
.notice{border-left:5px solid var(--accent);background:#fff;padding:.9rem 1rem;margin:0 0 1.5rem}
.visually-hidden{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;
overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.trap{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
.aside{margin:1.5rem 0 0;color:var(--muted)}
.aside a{font-weight:700}
.done{text-align:center;background:var(--paper);border:1px solid var(--line);border-radius:14px;
padding:2rem 1.25rem}
.done svg{width:4.5rem;height:4.5rem;color:var(--brand)}
.done p{margin:0 0 1rem}
.site-footer{border-top:1px solid var(--line);color:var(--muted);font-size:1rem;padding:1.5rem 0 2.5rem}
.site-footer p{margin:0 0 .4rem}
@media (min-width:42rem){.hero h1{font-size:2.5rem}.cards{grid-template-columns:1fr 1fr}
.cards .wide{grid-column:1 / -1}.button{width:auto}}
)css";
}

std::string_view logo_svg() {
    return R"svg(<svg viewBox="0 0 48 48" aria-hidden="true" focusable="false"><circle cx="24" cy="24" r="23" fill="#fff"/><path d="M6 36 19 16l6 9 5-6 12 17Z" fill="#1d5c4a"/><path d="m19 16 4 6-4-2-3 3Z" fill="#fff"/><circle cx="35" cy="13" r="4" fill="#e2792f"/></svg>)svg";
}

}  // namespace sb::web
