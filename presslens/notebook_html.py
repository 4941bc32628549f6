"""Notebook pages: an executed notebook rendered to one self-contained HTML file with nbconvert.

nbconvert's "lab" template, with code cells folded under "Show code", images embedded with their alt
text, and no script loaded from a CDN, so the page reads the same offline, in a mail attachment or on
a shared drive.
"""
from __future__ import annotations

import logging
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter

# The presslens template (see the module docstring).
HTML_TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}
<style type="text/css">
details.pl-code { margin: 2px 0 6px 0; }
details.pl-code > summary { cursor: pointer; color: #666; font: 12px sans-serif; padding: 2px 4px; }
details.pl-code[open] > summary { color: #333; }
.pl-nav { font: 14px sans-serif; padding: 8px 0 4px 0; }
.pl-nav a { color: #1f4e8c; }
</style>
{% endblock extra_css %}
{% block body_header %}
{{ super() }}
<div class="pl-nav"><a href="index.html">&larr; All notebooks of this report</a></div>
{% endblock body_header %}
{% block data_png scoped %}
{%- set alt = output | get_metadata('alt', 'image/png') -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}" alt="{{ (alt or 'A figure of this notebook') | escape_html }}"
{%- set width=output | get_metadata('width', 'image/png') -%}
{%- if width is not none %} width={{ width | escape_html }}{%- endif %}
{%- set height=output | get_metadata('height', 'image/png') -%}
{%- if height is not none %} height={{ height | escape_html }}{%- endif %}>
</div>
{%- endblock data_png %}
{% block input_group -%}
<details class="pl-code"><summary>Show code</summary>
{{ super() }}
</details>
{%- endblock input_group %}
"""


def html_exporter():
    """nbconvert's HTMLExporter with the presslens template: lab look, code folded, images embedded."""
    exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"presslens.html.j2": HTML_TEMPLATE})])
    exporter.template_file = "presslens.html.j2"
    exporter.embed_images = True          # markdown images too; outputs' PNGs are base64 already
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.log.setLevel(logging.ERROR)  # not the "alternative text is missing" note for every figure
    return exporter


def to_html(executed: str | Path, target: str | Path) -> Path:
    """Render an executed notebook to one self-contained HTML file."""
    nb = nbformat.read(str(executed), as_version=4)
    body, _ = html_exporter().from_notebook_node(nb, resources={"metadata": {"name": Path(executed).stem}})
    target = Path(target)
    target.write_text(body, encoding="utf8")
    return target
