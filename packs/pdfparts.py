"""Assembling a printed pack from PDF parts: rendering HTML parts (in worker processes), laying
out the pages, merging, and stamping page numbers with a small content stream on each page.

Nothing here touches Django, so worker processes import it without setting Django up.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from boards import uploads

A4 = (595.28, 841.89)
BLANK_PAGE_TEXT = "This page is intentionally left blank"
NOT_FOR_PUBLICATION = "NOT FOR PUBLICATION"
STAMP_FONT = "/FScrutinyStamp"

# Worker processes don't have Django's logging settings: keep WeasyPrint's font notes quiet.
for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.ERROR)

# Helvetica's advance widths (per 1000 units of the font size) for the characters we stamp.
_HELVETICA_WIDTHS = {
    **dict.fromkeys("0123456789", 556),
    " ": 278,
    "P": 667,
    "a": 556,
    "g": 556,
    "e": 556,
    "T": 611,
    "h": 556,
    "i": 222,
    "s": 500,
    "p": 556,
    "n": 556,
    "t": 278,
    "o": 556,
    "l": 222,
    "y": 500,
    "f": 278,
    "b": 556,
    "k": 500,
    "N": 722,
    "O": 778,
    "F": 611,
    "R": 722,
    "U": 722,
    "B": 667,
    "L": 556,
    "I": 278,
    "C": 722,
    "A": 667,
}


def render_html(html: str, path: str, base_url: str | None = None) -> int:
    """Render one part with WeasyPrint (tagged, PDF/UA-1) to ``path``; return its page count.

    Written to a temporary file first and renamed, so a part in the cache is always whole."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url).render()
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=directory, suffix=".part")
    os.close(fd)
    try:
        document.write_pdf(temporary, pdf_variant="pdf/ua-1")
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return len(document.pages)


def count_pages(path: str | Path) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


@dataclass
class Part:
    """One PDF in the pack: a rendered report, an uploaded file, a notice page."""

    path: Path
    pages: int
    title: str = ""
    not_for_publication: bool = False
    # Rendered here (WeasyPrint closes every graphics state it opens); an upload may not.
    rendered: bool = False


@dataclass
class Chapter:
    """Pages that begin on a right-hand page: the front matter, or one agenda item's papers."""

    title: str
    parts: list[Part] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return sum(part.pages for part in self.parts)


def page_ranges(chapters: Iterable[Chapter]) -> list[tuple[int, int] | None]:
    """Each chapter's first and last page number, numbering from 1 after the front matter, with
    each chapter beginning on an odd (right-hand) page; None for a chapter with no pages."""
    ranges: list[tuple[int, int] | None] = []
    next_page = 1
    for chapter in chapters:
        if not chapter.pages:
            ranges.append(None)
            continue
        if next_page % 2 == 0:
            next_page += 1  # a blank left-hand page before it
        ranges.append((next_page, next_page + chapter.pages - 1))
        next_page += chapter.pages
    return ranges


def _escape(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return escaped.encode("cp1252", errors="replace")


def _text_width(text: str, size: float) -> float:
    return sum(_HELVETICA_WIDTHS.get(char, 600) for char in text) * size / 1000


def _centred_text(text: str, size: float, width: float, y: float) -> bytes:
    x = (width - _text_width(text, size)) / 2
    return b"BT %s %.1f Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj ET " % (
        STAMP_FONT.encode(),
        size,
        x,
        y,
        _escape(text),
    )


def _unclosed_saves(page) -> int:
    """How many graphics states (``q``) the page's own content leaves saved at its end: a
    careless producer's PDF may not close them all, and each would still transform the stamp."""
    import pikepdf

    save = pikepdf.Operator("q")
    depth = 0
    for instruction in pikepdf.parse_content_stream(page, "q Q"):
        depth = depth + 1 if instruction.operator == save else max(depth - 1, 0)
    return depth


def _display_matrix(page) -> tuple[bytes, float, float]:
    """The ``cm`` that maps the page as it is displayed (its visible box, turned by its
    ``/Rotate``: origin bottom left, x to the right, y up) to the page's own coordinates; and
    the displayed width and height. Text drawn in display space reads upright on screen and
    paper whatever the page's rotation."""
    box = page.obj.get("/CropBox", page.mediabox)
    x0, y0, x1, y1 = (float(value) for value in box)
    x0, x1 = min(x0, x1), max(x0, x1)
    y0, y1 = min(y0, y1), max(y0, y1)
    width, height = x1 - x0, y1 - y0
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    matrix = {
        0: (1, 0, 0, 1, x0, y0),
        90: (0, 1, -1, 0, x0 + width, y0),
        180: (-1, 0, 0, -1, x0 + width, y0 + height),
        270: (0, -1, 1, 0, x0, y0 + height),
    }[rotate - rotate % 90]
    shown = (width, height) if rotate in (0, 180) else (height, width)
    return b"%d %d %d %d %.2f %.2f cm " % matrix, *shown


class Stamper:
    """Adds text to pages as an artifact in a content stream of its own, leaving the page's
    content untouched. The page's content is wrapped in ``q``…``Q`` (closing any graphics
    states it leaves open), so nothing it does can move, turn or mirror the stamp; the stamp is
    placed in the page's displayed space, so it reads upright at the foot (or head) of the page
    as shown, rotated pages included."""

    def __init__(self, pdf):
        import pikepdf

        self.pdf = pdf
        self.font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font,
                Subtype=pikepdf.Name.Type1,
                BaseFont=pikepdf.Name.Helvetica,
                Encoding=pikepdf.Name.WinAnsiEncoding,
            )
        )
        self.save = pikepdf.Stream(pdf, b"q\n")

    def stamp(
        self,
        page,
        *,
        footer: str = "",
        header: str = "",
        middle: str = "",
        balanced: bool = False,
    ) -> None:
        """``balanced``: the page's content is known to close every graphics state it opens
        (pages rendered here), so it need not be read to find out."""
        import pikepdf

        place, width, height = _display_matrix(page)
        text = b""
        if footer:
            text += _centred_text(footer, 9, width, 22)
        if header:
            text += _centred_text(header, 11, width, height - 26)
        if middle:
            text += _centred_text(middle, 12, width, height / 2)
        if not text:
            return
        page.add_resource(self.font, pikepdf.Name.Font, pikepdf.Name(STAMP_FONT))
        restore = b""
        if "/Contents" in page.obj:
            restore = b"Q " * (1 if balanced else _unclosed_saves(page) + 1)
            page.contents_add(self.save, prepend=True)
        stream = b"\n" + restore + b"/Artifact BMC q 0 g " + place + text + b"Q EMC\n"
        page.contents_add(pikepdf.Stream(self.pdf, stream), prepend=False)


class StructureMerger:
    """Joins the parts' tag trees (PDF/UA) into one: each part's Document becomes a Part of the
    pack's Document, and the parent-tree keys of its pages and annotations move along by the
    keys the earlier parts took. Parts without tags make the pack untagged, honestly."""

    def __init__(self, pdf):
        import pikepdf

        self.pdf = pdf
        self.tagged = True
        self.next_key = 0
        self.nums = pikepdf.Array()
        self.root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        self.document = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=self.root)
        )
        self.kids = pikepdf.Array()
        self.role_map = pikepdf.Dictionary()

    def _copy(self, obj):
        import pikepdf

        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            return self.pdf.copy_foreign(obj)
        if isinstance(obj, pikepdf.Array):
            return pikepdf.Array([self._copy(item) for item in obj])
        if isinstance(obj, pikepdf.Dictionary):
            return pikepdf.Dictionary({key: self._copy(value) for key, value in obj.items()})
        return obj

    def add(self, source, pages) -> None:
        """``pages``: the copies in the pack of the source's pages, in order."""
        import pikepdf

        tree = source.Root.get("/StructTreeRoot")
        if tree is None or "/ParentTree" not in tree or "/Nums" not in tree.ParentTree:
            self.tagged = False
            return
        offset = self.next_key
        nums = tree.ParentTree.Nums
        keys = [int(nums[index]) for index in range(0, len(nums), 2)]
        span = max(keys, default=-1) + 1
        # One copy of the whole parent tree, done by qpdf, rather than one per element in Python.
        copied = self.pdf.copy_foreign(nums if nums.is_indirect else source.make_indirect(nums))
        for index in range(0, len(copied), 2):
            self.nums.append(int(copied[index]) + offset)
            self.nums.append(copied[index + 1])
        for page in pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        kids = tree.K if isinstance(tree.K, pikepdf.Array) else [tree.K]
        for kid in kids:
            copy = self._copy(kid)
            if copy.get("/S") == pikepdf.Name.Document:
                copy.S = pikepdf.Name.Part
            copy.P = self.document
            self.kids.append(copy)
        for role, standard in tree.get("/RoleMap", {}).items():
            self.role_map[role] = standard
        self.next_key = offset + span

    def finish(self) -> bool:
        import pikepdf

        if not self.tagged:
            return False
        self.document.K = self.kids
        self.root.K = pikepdf.Array([self.document])
        self.root.ParentTree = self.pdf.make_indirect(pikepdf.Dictionary(Nums=self.nums))
        self.root.ParentTreeNextKey = self.next_key
        if self.role_map:
            self.root.RoleMap = self.role_map
        self.pdf.Root.StructTreeRoot = self.root
        self.pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        for page in self.pdf.pages:
            page.obj.Tabs = pikepdf.Name.S
        return True


@dataclass
class PackDocument:
    title: str
    author: str
    front: Chapter
    chapters: list[Chapter]
    language: str = "en-GB"


def assemble(document: PackDocument, out_path: str | Path) -> int:
    """Merge the front matter and chapters into one PDF: front matter unnumbered and made up to
    an even number of pages; then each chapter from a right-hand page, blank left-hand pages
    saying so; every page after the front matter stamped "Page N", merged uploads included; a
    bookmark for every chapter and part; title, author and language set; the parts' tags
    joined into one tree when every part is tagged. Returns the number of pages."""
    import pikepdf

    pdf = pikepdf.new()
    stamper = Stamper(pdf)
    structure = StructureMerger(pdf)
    sources = []
    outline: list[tuple[str, int, list[tuple[str, int]]]] = []

    def append(part: Part) -> int:
        source = pikepdf.open(part.path)
        sources.append(source)
        first = len(pdf.pages)
        pdf.pages.extend(source.pages)
        # Uploads are cleaned when they arrive; the pack cleans again what it merges.
        uploads.strip_active_content(pdf, pdf.pages[first:])
        structure.add(source, pdf.pages[first:])
        return first

    def add_blank():
        pdf.add_blank_page(page_size=A4)
        return pdf.pages[-1]

    try:
        for part in document.front.parts:
            append(part)
        if len(pdf.pages) % 2:
            stamper.stamp(add_blank(), middle=BLANK_PAGE_TEXT)
        front_pages = len(pdf.pages)
        outline.append((document.front.title, 0, []))

        # An item without papers is bookmarked too, at the agenda, which follows the front sheet.
        agenda_page = min(1, front_pages - 1)
        for chapter in document.chapters:
            if not chapter.parts:
                outline.append((chapter.title, agenda_page, []))
                continue
            if (len(pdf.pages) - front_pages) % 2:
                number = len(pdf.pages) - front_pages + 1
                stamper.stamp(add_blank(), middle=BLANK_PAGE_TEXT, footer=f"Page {number}")
            children: list[tuple[str, int]] = []
            outline.append((chapter.title, len(pdf.pages), children))
            for part in chapter.parts:
                first = append(part)
                if len(chapter.parts) > 1 or part.title != chapter.title:
                    children.append((part.title, first))
                for index in range(first, len(pdf.pages)):
                    stamper.stamp(
                        pdf.pages[index],
                        footer=f"Page {index - front_pages + 1}",
                        header=NOT_FOR_PUBLICATION if part.not_for_publication else "",
                        balanced=part.rendered,
                    )

        tagged = structure.finish()
        with pdf.open_outline() as tree:
            for title, page, children in outline:
                entry = pikepdf.OutlineItem(title, page)
                entry.children.extend(pikepdf.OutlineItem(t, p) for t, p in children)
                tree.root.append(entry)
        labels = [0, pikepdf.Dictionary(S=pikepdf.Name.r)] if front_pages else []
        if len(pdf.pages) > front_pages:
            labels += [front_pages, pikepdf.Dictionary(S=pikepdf.Name.D, St=1)]
        pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(labels))
        pdf.Root.Lang = pikepdf.String(document.language)
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        pdf.Root.PageMode = pikepdf.Name.UseOutlines
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = document.title
            meta["dc:creator"] = [document.author]
            if tagged:
                meta["pdfuaid:part"] = "1"
        pdf.docinfo["/Title"] = document.title
        pdf.docinfo["/Author"] = document.author

        out_path = Path(out_path)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = out_path.with_suffix(".tmp")
        pdf.save(temporary, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        os.replace(temporary, out_path)
        return len(pdf.pages)
    finally:
        for source in sources:
            source.close()
        pdf.close()
