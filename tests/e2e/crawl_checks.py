"""What the crawl checks on each page, in the browser: template text, overflow, axe-core.

Each check returns a list of findings in words (empty when the page passes).
"""

from axe_playwright_python.sync_playwright import Axe

#: axe-core rule tags of WCAG 2.2 level A and AA (each version's own tag; 2.2 adds to 2.1).
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
IMPACTS = {"serious", "critical"}
TEMPLATE_MARKS = ("{#", "#}", "{%", "{{")

#: Violations inside markup a third-party script draws, which the project cannot change:
#: (axe rule, CSS selector of the element) -> whose markup it is. Keep this short.
UPSTREAM_MARKUP = {
    # Django's filter_horizontal/filter_vertical (admin/js/SelectFilter2.js) draws its search
    # boxes' help icon as a <span> with aria-label and no role, which ARIA does not allow.
    ("aria-prohibited-attr", ".help-tooltip.search-label-icon"): "Django SelectFilter2.js",
}

#: Whether the element at axe's target matches a selector of UPSTREAM_MARKUP.
MATCHES_JS = "([target, selector]) => !!document.querySelector(target)?.matches(selector)"

#: The page's text as a reader gets it: scripts, styles and templates left out.
TEXT_JS = """() => {
  const body = document.body.cloneNode(true);
  // [data-template-source]: a field or example that shows template source on purpose (the
  // e-mail editor, mail/).
  body.querySelectorAll('script, style, template, noscript, [data-template-source]')
    .forEach(e => e.remove());
  return body.textContent;
}"""

#: Where the page is wider than the window: the page itself, then the outermost elements that
#: reach past either edge (unless a scrolling or clipping box holds them), then boxes with a
#: visible edge (border or background) whose content spills out of them (text running past a
#: card's edge).
OVERFLOW_JS = """() => {
  const doc = document.documentElement, width = doc.clientWidth, found = [];
  const name = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.classList.length) s += '.' + [...el.classList].join('.');
    const text = (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return text ? `${s} ("${text}")` : s;
  };
  const held = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const hidden = el => {
    const style = getComputedStyle(el);
    return style.visibility === 'hidden' || style.clip === 'rect(0px, 0px, 0px, 0px)'
      || (style.position === 'absolute' && el.offsetWidth <= 1);
  };
  if (doc.scrollWidth > width) {
    found.push(`the page is ${doc.scrollWidth}px wide in a ${width}px window`);
  }
  const reported = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('[hidden], [aria-hidden="true"]') || [...reported].some(r => r.contains(el))) {
      continue;
    }
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || hidden(el) || held(el)) continue;
    if (box.right > width + 1 || box.left < -1) {
      found.push(`${name(el)} spans ${Math.round(box.left)}..${Math.round(box.right)}px`);
      reported.add(el);
      continue;
    }
    const style = getComputedStyle(el);
    const edged = parseFloat(style.borderRightWidth) > 0
      || style.backgroundColor !== 'rgba(0, 0, 0, 0)';
    if (edged && style.overflowX === 'visible' && style.display !== 'inline' && el.clientWidth > 0
        && el.scrollWidth > el.clientWidth + 1 && !/^T(ABLE|R|BODY|HEAD)$/.test(el.tagName)) {
      const sizes = `${el.scrollWidth}px in ${el.clientWidth}px`;
      found.push(`${name(el)}: its content spills out of its box (${sizes})`);
      reported.add(el);
    }
  }
  return found;
}"""

#: The tops of the main menu's entries, one per line the menu takes: its links and the toggles
#: of its groups as drawn (a closed group's links are not drawn, so they are on no line).
MENU_LINES_JS = """() => new Set([...document.querySelectorAll(
    '.site-header nav a, .site-header nav summary')]
  .filter(e => e.checkVisibility())
  .map(e => Math.round(e.getBoundingClientRect().top))).size"""

#: The page's markup without its words: every element's tag, classes, role and type, which ARIA
#: attributes it has (not their words), and whether it holds text (an empty link or button is
#: a violation), hashed.
STRUCTURE_JS = """() => {
  let hash = 0;
  for (const el of document.querySelectorAll('*')) {
    const aria = [...el.attributes].filter(a => /^(aria-|role$|alt$|for$|type$)/.test(a.name))
      .map(a => a.name + '=' + (/^(role|type)$/.test(a.name) ? a.value : !!a.value)).join(',');
    const part = el.tagName + '.' + el.className + '|' + aria + '|' + !!el.textContent.trim();
    for (let i = 0; i < part.length; i++) hash = (hash * 31 + part.charCodeAt(i)) | 0;
  }
  return hash;
}"""

_axe = Axe()


def template_text(page) -> list[str]:
    return template_marks(page.evaluate(TEXT_JS))


def template_marks(text: str) -> list[str]:
    findings = []
    for mark in TEMPLATE_MARKS:
        at = text.find(mark)
        if at >= 0:
            snippet = " ".join(text[max(0, at - 30) : at + 50].split())
            findings.append(f"template text {mark!r} shows: …{snippet}…")
    return findings


def overflow(page, width: int) -> list[str]:
    return [f"at {width}px: {finding}" for finding in page.evaluate(OVERFLOW_JS)]


def menu_on_one_line(page) -> list[str]:
    """At desktop width the main menu is one line, however many links the role has."""
    lines = page.evaluate(MENU_LINES_JS)
    return [f"the main menu takes {lines} lines"] if lines > 1 else []


def structure(page) -> int:
    return page.evaluate(STRUCTURE_JS)


def accessibility(page) -> list[str]:
    """Return the serious and critical axe-core violations of WCAG 2.2 AA on the page."""
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]},
    )
    findings = []
    for violation in results.response["violations"]:
        if violation["impact"] not in IMPACTS:
            continue
        violation["nodes"] = [
            node for node in violation["nodes"] if not _upstream(page, violation["id"], node)
        ]
        if not violation["nodes"]:
            continue
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        more = len(violation["nodes"]) - len(targets)
        findings.append(
            f"axe {violation['impact']} {violation['id']}: {violation['help']} at "
            + "; ".join(targets)
            + (f" (+{more} more)" if more > 0 else "")
        )
    return findings


def _upstream(page, rule: str, node) -> bool:
    """Return whether axe's ``node`` is a listed violation in a third party's markup."""
    target = node["target"]
    if len(target) != 1:  # inside a frame or shadow root: none of those is listed
        return False
    return any(
        rule == listed_rule and page.evaluate(MATCHES_JS, [target[0], selector])
        for listed_rule, selector in UPSTREAM_MARKUP
    )
