"""Layout checks run inside a page: sideways scrolling, WCAG 1.4.12 text spacing, text clipped or overlapping."""

from __future__ import annotations

from playwright.sync_api import Page

# WCAG 1.4.12 Text Spacing, as the W3C's test bookmarklet sets it: readers' own styles must lose nothing.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; }
p { margin-bottom: 2em !important; }
"""

# A constructed stylesheet (adoptedStyleSheets): the CSSOM, which the page's CSP allows, unlike a <style> element.
SET_STYLE = """css => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = css ? [sheet] : [];
}"""

# Text the reader cannot read whole: in a box that hides its overflow while its content is larger, or whose line
# boxes overlap another text's. Visually hidden text (clipped to nothing on purpose) and SVG text (a drawing) are left out.
TEXT_PROBLEMS = """() => {
  const problems = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const hiddenCache = new Map();
  const unseen = el => {
    if (!el || el === document.documentElement) return false;
    if (hiddenCache.has(el)) return hiddenCache.get(el);
    const s = getComputedStyle(el);
    const result = s.display === 'none' || s.visibility === 'hidden' || s.clipPath !== 'none'
      || (s.position === 'absolute' && /hidden|clip/.test(s.overflow) && el.clientWidth <= 1) || unseen(el.parentElement);
    hiddenCache.set(el, result);
    return result;
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') || !el.textContent.trim() || unseen(el)) continue;
    const s = getComputedStyle(el);
    if (!/hidden|clip/.test(s.overflowX + ' ' + s.overflowY)) continue;
    if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
      problems.push(`clipped: ${name(el)} shows ${el.clientWidth}x${el.clientHeight} of ${el.scrollWidth}x${el.scrollHeight}px: "${el.textContent.trim().slice(0, 40)}"`);
  }
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    const el = node.parentElement;
    if (!node.data.trim() || el.closest('svg') || unseen(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1) boxes.push({r, node});
  }
  boxes.sort((a, b) => a.r.top - b.r.top);
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].r.top < a.r.bottom - 2; j++) {
      const b = boxes[j];
      if (b.node === a.node) continue;
      const across = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const down = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (across > 2 && down > 2)
        problems.push(`overlap: "${a.node.data.trim().slice(0, 30)}" (${name(a.node.parentElement)}) and "${b.node.data.trim().slice(0, 30)}" (${name(b.node.parentElement)})`);
    }
  }
  return problems;
}"""


def sideways_scroll(page: Page) -> str | None:
    """How far the page scrolls sideways, when it does."""
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    return f"scrolls sideways: {scroll}px wide in {client}px" if scroll > client else None


def text_problems(page: Page) -> list[str]:
    """Text clipped by its box or overlapping other text, as the page is laid out now."""
    return page.evaluate(TEXT_PROBLEMS)


def with_text_spacing(page: Page) -> list[str]:
    """The problems the page shows with WCAG 1.4.12's text spacing applied (then taken off again)."""
    page.evaluate(SET_STYLE, TEXT_SPACING)
    try:
        return [problem for problem in [sideways_scroll(page), *text_problems(page)] if problem]
    finally:
        page.evaluate(SET_STYLE, "")
