"""The Graphviz SVG of a drawing made ready for the explorer page: element ids made unique
to one explorer (several share a notebook), and the nodes, edges and clusters tagged with
``data-*`` attributes that the page's script and its tests look for."""
import xml.etree.ElementTree as ET

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", XLINK)


def annotate(svg_text, uid, nodes):
    """``nodes`` maps a DOT node id to ``(label, kind)``: ``label`` goes into ``data-node``
    (the name drawn), ``kind`` into ``data-kind``. Each node's drawn value and gradient
    lines get the classes ``agx-data`` and ``agx-grad``. Returns the ``<svg>`` element as
    text, without the XML prologue (it is inlined into HTML)."""
    root = ET.fromstring(svg_text)
    for group in root.iter(f"{{{SVG}}}g"):
        kind = group.get("class")
        title = group.find(f"{{{SVG}}}title")
        if title is None or kind not in ("node", "edge", "cluster"):
            continue
        name = title.text or ""
        if kind == "node" and name in nodes:
            label, node_kind = nodes[name]
            group.set("data-id", name)
            group.set("data-node", label)
            group.set("data-kind", node_kind)
            title.text = label
            _mark_rows(group)
        elif kind == "edge":
            tail, _, head = name.partition("->")
            group.set("data-tail", tail)
            group.set("data-head", head)
        elif kind == "cluster" and name.startswith("cluster_"):
            group.set("data-cluster", name[len("cluster_"):])
    for element in root.iter():
        if element.get("id"):
            element.set("id", f"{uid}-{element.get('id')}")
    root.set("class", "agx-svg")
    return ET.tostring(root, encoding="unicode")


def _mark_rows(group):
    for text in group.iter(f"{{{SVG}}}text"):
        content = text.text or ""
        if content.startswith("grad "):
            text.set("class", "agx-grad")
        elif content.startswith("data "):
            text.set("class", "agx-data")
