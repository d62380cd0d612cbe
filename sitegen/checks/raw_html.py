"""The raw HTML policy checked on every body: what an editor's Markdown may not put into a page (html_policy.py says what)."""

from __future__ import annotations

from ..problems import Problems
from .html_policy import Finding, risky_html


def check_raw_html(shown: str, body: str, body_html: str, body_line: int, allowed_hosts: list[str], problems: Problems) -> None:
    """An error for each script, redirect, <base>, form sent elsewhere, file or frame from elsewhere in a body, at its own line.

    The converted HTML is checked, so code shown in code blocks is not flagged and tricks
    such as entities or line breaks inside a tag do not hide anything.
    """
    findings = risky_html(body_html, allowed_hosts)
    for finding, line in zip(findings, finding_lines(body, findings, body_line), strict=True):
        problems.error(shown, line, f"raw HTML with {finding.what} is not allowed", finding.hint)


def finding_lines(body: str, findings: list[Finding], body_line: int) -> list[int]:
    """The body line of each finding: each tag is looked for after the one before it, so repeats get their own lines."""
    lowered = body.lower()
    lines, cursor, last = [], 0, -1
    for finding in findings:
        if finding.tag == last:  # another problem of the same tag
            lines.append(lines[-1])
            continue
        index = _locate(lowered, finding, cursor)
        if index < 0:
            index = max(_locate(lowered, finding, 0), 0)
        else:
            cursor = index + 1
        lines.append(body_line + body.count("\n", 0, index))
        last = finding.tag
    return lines


def _locate(lowered: str, finding: Finding, start: int) -> int:
    """Where a finding's tag (or its first words, or the value at fault) is written in the body from `start`, else -1."""
    raw = finding.raw.lower()
    probes = (raw.split("\n")[0], finding.needle.lower().split("\n")[0], raw[:12], raw.split()[0] if raw.split() else "",
              "javascript", "on", "<")
    for probe in probes:
        index = lowered.find(probe, start) if probe else -1
        if index >= 0:
            return index
    return -1
