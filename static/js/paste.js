// Pasting into a Markdown textarea ([data-paste="markdown"]): what Word or a PDF puts on the
// clipboard becomes Markdown, lists keeping their levels, and control characters never arrive.
//
// Word's clipboard HTML marks each list paragraph with its list and level
// (style="mso-list:l0 level2 lfo1") and writes its bullet or number in a span the browser is to
// ignore (mso-list:Ignore); other sources give real <ul>/<ol> lists. Plain text (a PDF, Word
// without HTML) has bullet characters ("•", "·", "o", "▪", "–"), numbers ("1.") and letters
// ("(a)", "a)"), with tabs or spaces for levels. Bullets become "- ", numbers "1. ", nested by the
// width of their parent's marker as Markdown needs; markdown-it has no lettered lists, so a
// lettered item is a bullet item that keeps its letter as written ("- (a) note the report"),
// which the pages show without the bullet. Text with nothing list-like is pasted as it is.
//
// The conversions are pure functions of the clipboard's text (window.ScrutinyPaste), so the
// browser tests can call them; the wiring at the end inserts the result at the caret as an
// edit the browser can undo, which fires "input" as typing does (the minutes' autosave).
(function () {
  "use strict";

  // Control characters -----------------------------------------------------------------------

  // Line breaks from Windows and old Macs, Word's manual line break (vertical tab), a PDF's page
  // break (form feed), the C1 next line and Unicode's line and paragraph separators.
  var LINE_BREAK = /\r\n?|[\u000B\u000C\u0085\u2028\u2029]/g;
  // The rest of the control characters (C0 but tab and line feed, DEL, C1), as the server drops them.
  var CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F]/g;

  function dropControlCharacters(text) {
    return String(text || "").replace(LINE_BREAK, "\n").replace(CONTROL, "");
  }

  // Markdown from blocks ---------------------------------------------------------------------
  //
  // Both readers produce the same blocks: {type: "paragraph", lines}, {type: "table", rows} and
  // {type: "item", depth, kind: "bullet" | "ordered" | "label", number, label, lines}.

  function spaces(count) { return new Array(count + 1).join(" "); }

  // Text at the start of an item that Markdown would read as a marker or a heading.
  function escapeStart(text) {
    return text.replace(/^([-+*>#])(?=\s|$)/, "\\$1").replace(/^(\d+)([.)])(?=\s|$)/, "$1\\$2");
  }

  function tableMarkdown(rows) {
    var width = Math.max.apply(null, rows.map(function (row) { return row.length; }));
    function line(cells) {
      var padded = cells.slice();
      while (padded.length < width) { padded.push(""); }
      return "| " + padded.map(function (cell) { return cell.replace(/\|/g, "\\|"); }).join(" | ") + " |";
    }
    var rule = [];
    for (var i = 0; i < width; i++) { rule.push("---"); }
    return [line(rows[0]), "| " + rule.join(" | ") + " |"].concat(rows.slice(1).map(line)).join("\n");
  }

  function serialize(blocks) {
    var chunks = [];   // Markdown blocks, a blank line between each
    var run = null;    // the lines of the list being written (one chunk: a tight list)
    var open = [];     // for each depth of that list: its kind, marker and content column
    blocks.forEach(function (block) {
      if (block.type !== "item") {
        run = null;
        if (block.type === "table") {
          chunks.push(tableMarkdown(block.rows));
        } else {
          chunks.push(block.lines.join("\n"));
        }
        return;
      }
      if (!run) {
        run = [];
        open = [];
        chunks.push(run);
      }
      var depth = Math.min(block.depth, open.length);  // no level is skipped
      var indent = depth === 0 ? 0 : open[depth - 1].content;
      var sibling = open[depth];
      var ordered = block.kind === "ordered";
      var same = sibling && sibling.kind === block.kind && (!ordered || block.number > sibling.number);
      var delimiter;
      if (same) {
        delimiter = sibling.delimiter;
      } else if (sibling && sibling.ordered === ordered) {
        // A new list straight after one Markdown would join it to: another delimiter keeps it apart.
        delimiter = ordered ? (sibling.delimiter === "." ? ")" : ".") : (sibling.delimiter === "-" ? "*" : "-");
      } else {
        delimiter = ordered ? "." : "-";
      }
      if (ordered && !same && block.number !== 1 && run.length) {
        // Only a list starting at 1 may follow a line of text directly.
        run.push("");
      }
      var marker = (ordered ? block.number : "") + delimiter + " ";
      var first = block.label ? block.label + " " + block.lines[0] : escapeStart(block.lines[0]);
      run.push(spaces(indent) + marker + first);
      block.lines.slice(1).forEach(function (line) {
        run.push(spaces(indent + marker.length) + escapeStart(line));
      });
      open.length = depth;
      open.push({
        kind: block.kind,
        ordered: ordered,
        number: block.number,
        delimiter: delimiter,
        content: indent + marker.length
      });
    });
    return chunks.map(function (chunk) {
      return typeof chunk === "string" ? chunk : chunk.join("\n");
    }).join("\n\n");
  }

  function hasList(blocks) {
    return blocks.some(function (block) { return block.type === "item"; });
  }

  // Plain text -------------------------------------------------------------------------------

  var GAP = "[ \\t\\u00A0]+";
  // Bullets as Word's plain text, PDFs and people write them. "o" and "§" (Word's second and
  // third levels) and "—" (which also opens a quotation's source) only count beside other list
  // lines, or before a tab.
  var BULLET = new RegExp("^([\\u2022\\u00B7\\u25AA\\u25A0\\u25CF\\u25E6\\u25CB\\u25A1\\u2023\\u2043" +
    "\\u2013\\u2014\\u25BA\\u27A2\\u2713\\uF0A7\\uF0B7\\uF0D8\\uF0FC*+\\-o\\u00A7])(" + GAP + ")(?=\\S)");
  // The round bullets often lose their space in a PDF's text.
  var TIGHT_BULLET = /^([\u2022\u25AA\u25A0\u25CF\u25E6\uF0A7\uF0B7])(?=\S)/;
  var NUMBER = new RegExp("^(\\d{1,3})[.)]" + GAP + "(?=\\S)");
  // (a) a) a. (i) ii. (A) A) (1): kept as written. Capitals need brackets: "A. Smith" is a name.
  var LABEL = new RegExp("^(\\(([a-z]|[ivxlc]{1,7}|[A-Z]|[IVXLC]{1,7}|\\d{1,3})\\)|" +
    "([a-z]|[ivxlc]{2,7})[.)]|([A-Z]|[IVXLC]{2,7})\\))" + GAP + "(?=\\S)");
  var WEAK_BULLETS = "o\u00A7\u2014";

  // How deep a style usually sits, for lines that share an indent: "o" under "•", "(a)" under
  // "1.", "(i)" under "(a)".
  var BULLET_RANKS = [
    "\u2022\u00B7\u25CF\uF0B7*+-",
    "o\u25E6\u25CB\u2013\u2014",
    "\u25AA\u25A0\u25A1\u00A7\uF0A7\u2023\u2043\u25BA\u27A2\u2713\uF0D8\uF0FC"
  ];

  function indentWidth(whitespace) {
    var width = 0;
    for (var i = 0; i < whitespace.length; i++) {
      width = whitespace[i] === "\t" ? width + 4 - (width % 4) : width + 1;
    }
    return width;
  }

  function readLine(raw) {
    var lead = /^[ \t\u00A0]*/.exec(raw)[0];
    var rest = raw.slice(lead.length).replace(/\s+$/, "");
    var line = {raw: raw, indent: indentWidth(lead), text: rest, marker: null};
    var match;
    if ((match = NUMBER.exec(rest))) {
      line.marker = {kind: "ordered", number: parseInt(match[1], 10), form: "1.", rank: 0};
    } else if ((match = LABEL.exec(rest))) {
      var label = match[1];
      var letters = label.replace(/[().]/g, "");
      var form = label.replace(/[a-z]+/, "a").replace(/[A-Z]+/, "A").replace(/\d+/, "1");
      line.marker = {kind: "label", label: label, letters: letters, form: form};
    } else if ((match = BULLET.exec(rest)) || (match = TIGHT_BULLET.exec(rest))) {
      var glyph = match[1];
      var rank = 0;
      BULLET_RANKS.forEach(function (glyphs, index) { if (glyphs.indexOf(glyph) >= 0) { rank = index; } });
      line.marker = {
        kind: "bullet",
        form: glyph,
        rank: rank + 1,
        weak: WEAK_BULLETS.indexOf(glyph) >= 0 && (match[2] || "").indexOf("\t") < 0
      };
    }
    if (line.marker) { line.text = rest.slice(match[0].length); }
    return line;
  }

  function isRoman(letters) { return /^[ivxlc]+$/i.test(letters); }

  // A letter that could be roman ("i", "v", "x") is a letter after its predecessor: "(h)", "(i)".
  function labelStyle(marker, stack, indent) {
    var roman = isRoman(marker.letters) && !/^\d+$/.test(marker.letters);
    for (var i = stack.length - 1; i >= 0 && stack[i].indent === indent; i--) {
      var entry = stack[i];
      if (entry.form !== marker.form) { continue; }
      if (entry.roman && roman) { return {style: "roman " + marker.form, roman: true}; }
      if (!entry.roman && marker.letters.length === 1 && entry.letters.length === 1 &&
          marker.letters.charCodeAt(0) === entry.letters.charCodeAt(0) + 1) {
        return {style: "alpha " + marker.form, roman: false};
      }
    }
    roman = roman && (marker.letters.length > 1 || /^i$/i.test(marker.letters));
    return {style: (roman ? "roman " : "alpha ") + marker.form, roman: roman};
  }

  function styleOf(marker, stack, indent) {
    if (marker.kind === "label") {
      var label = labelStyle(marker, stack, indent);
      var numeric = /^\d+$/.test(marker.letters);
      return {style: label.style, rank: numeric ? 0 : label.roman ? 2 : 1, roman: label.roman};
    }
    return {style: marker.kind + " " + marker.form, rank: marker.rank, roman: false};
  }

  // The depth of a list line: deeper when indented further; at the same indent, back to the
  // level of the same style, or one deeper for a style that usually sits lower and follows
  // straight on (a PDF's text loses the indents: "o" under "•", "(a)" under "1.").
  function place(stack, line, afterBlank) {
    var marker = line.marker;
    var indent = line.indent;
    while (stack.length && stack[stack.length - 1].indent > indent) { stack.pop(); }
    var found = styleOf(marker, stack, indent);
    var entry = {
      indent: indent,
      style: found.style,
      rank: found.rank,
      roman: found.roman,
      form: marker.form,
      letters: marker.letters || ""
    };
    var top = stack[stack.length - 1];
    if (!top || top.indent < indent) {
      stack.push(entry);
      return stack.length - 1;
    }
    for (var i = stack.length - 1; i >= 0 && stack[i].indent === indent; i--) {
      if (stack[i].style === entry.style) {
        stack.length = i;
        stack.push(entry);
        return i;
      }
    }
    if (entry.rank > top.rank && !afterBlank) {
      stack.push(entry);
      return stack.length - 1;
    }
    while (stack.length > 1 && stack[stack.length - 2].indent === indent &&
           stack[stack.length - 2].rank >= entry.rank) {
      stack.pop();
    }
    stack[stack.length - 1] = entry;
    return stack.length - 1;
  }

  // A line after a list item continues it when indented under its text, when it starts in lower
  // case, or when the item broke off mid-phrase: a PDF wraps its lines.
  function continues(item, line) {
    var previous = item.lines[item.lines.length - 1];
    return line.indent > item.indent || /^[a-z]/.test(line.text) || /[-,(]$/.test(previous);
  }

  function plainBlocks(text) {
    var lines = text.split("\n").map(readLine);
    var strong = lines.some(function (line) { return line.marker && !line.marker.weak; });
    var blocks = [];
    var stack = [];
    var last = null;
    var blank = false;
    lines.forEach(function (line) {
      if (line.marker && line.marker.weak && !strong) { line.marker = null; line.text = line.raw.trim(); }
      if (!line.text && !line.marker) {
        blank = true;
        return;
      }
      if (line.marker) {
        if (!last || last.type !== "item") { stack = []; }
        var marker = line.marker;
        last = {
          type: "item",
          depth: place(stack, line, blank),
          indent: line.indent,
          kind: marker.kind,
          number: marker.number,
          label: marker.label,
          lines: [line.text]
        };
        blocks.push(last);
      } else if (last && !blank && last.type === "item" && continues(last, line)) {
        last.lines.push(line.text);
      } else if (last && !blank && last.type === "paragraph") {
        last.lines.push(line.text);
      } else {
        last = {type: "paragraph", lines: [line.text]};
        blocks.push(last);
        stack = [];
      }
      blank = false;
    });
    return blocks;
  }

  // Plain text as Markdown: lists when there are list lines, else the text as it was.
  function plainToMarkdown(text) {
    var cleaned = dropControlCharacters(text);
    var blocks = plainBlocks(cleaned);
    return hasList(blocks) ? serialize(blocks) : cleaned;
  }

  // HTML (Word, and real lists from elsewhere) ---------------------------------------------------

  var FROM_WORD = /mso-|urn:schemas-microsoft-com:office|class=["']?Mso|content=["']?Microsoft Word/i;
  var HAS_LIST = /<(ul|ol|li)[\s>]/i;
  var SKIPPED = /^(script|style|head|title|meta|link|xml|template|noscript|svg|img|object|iframe)$/;
  var BLOCKS = new RegExp("^(p|div|h[1-6]|ul|ol|li|table|blockquote|pre|section|article|header|" +
    "footer|main|aside|nav|address|dl|dt|dd|figure|figcaption|hr|form|fieldset|center)$");
  var BLOCK_SELECTOR = "p, div, h1, h2, h3, h4, h5, h6, ul, ol, li, table, blockquote, pre";
  var PARAGRAPHS = /^(p|h[1-6]|pre|address|dt|dd|figcaption|li)$/;
  var WORD_LIST = /mso-list:\s*(l\d+)\s+level(\d+)/i;

  function tagOf(node) { return node.nodeType === 1 ? node.tagName.toLowerCase() : ""; }
  function styleAttr(node) { return node.getAttribute("data-style") || ""; }

  // The page's Content Security Policy forbids inline styles, in a parsed document too: the
  // <style> blocks go, and each style attribute is read as data-style.
  function withoutInlineStyles(html) {
    return html.replace(/<style[\s\S]*?<\/style\s*>/gi, "").replace(/(<[^>]*?\s)style(\s*=)/gi, "$1data-style$2");
  }

  function isBold(tag, style) {
    if (/font-weight:\s*(normal|[1-5]00)/i.test(style)) { return false; }
    return tag === "b" || tag === "strong" || /font-weight:\s*(bold|[6-9]00)/i.test(style);
  }

  function isItalic(tag, style) {
    if (/font-style:\s*normal/i.test(style)) { return false; }
    return tag === "i" || tag === "em" || /font-style:\s*italic/i.test(style);
  }

  function wrap(text, mark) {
    var parts = /^(\s*)([\s\S]*?)(\s*)$/.exec(text);
    return parts[2] ? parts[1] + mark + parts[2] + mark + parts[3] : text;
  }

  // The text of inline content: bold and italic kept, a <br> as a new line, Word's bullet or
  // number (its mso-list:Ignore span, and what its [if !supportLists] comments enclose) set
  // aside in state.marker, and nested lists left to the caller.
  function inline(node, state) {
    var out = "";
    Array.prototype.forEach.call(node.childNodes, function (child) {
      if (child.nodeType === 8) {
        if (/^\[if !supportLists\]/i.test(child.data)) { state.skipping = true; }
        if (/^\[endif\]/i.test(child.data)) { state.skipping = false; }
        return;
      }
      if (child.nodeType === 3) {
        var text = child.data.replace(/[ \t\n\r\f]+/g, " ");
        if (state.skipping) { state.marker += text; } else { out += text; }
        return;
      }
      if (child.nodeType !== 1) { return; }
      var tag = tagOf(child);
      var style = styleAttr(child);
      if (SKIPPED.test(tag) || (state.lists && (tag === "ul" || tag === "ol"))) { return; }
      if (/mso-list:\s*ignore/i.test(style)) {
        state.marker += child.textContent;
        return;
      }
      if (tag === "br") {
        out += "\n";
        return;
      }
      var bold = isBold(tag, style) && !state.bold;
      var italic = isItalic(tag, style) && !state.italic;
      if (bold) { state.bold = true; }
      if (italic) { state.italic = true; }
      var inner = inline(child, state);
      if (bold) { state.bold = false; }
      if (italic) { state.italic = false; }
      if (state.skipping) { return; }
      if (italic) { inner = wrap(inner, "*"); }
      if (bold) { inner = wrap(inner, "**"); }
      var href = tag === "a" ? child.getAttribute("href") || "" : "";
      if (/^(https?:|mailto:)/i.test(href) && inner.trim() && inner.trim() !== href) {
        inner = "[" + inner.trim() + "](" + href.replace(/[()\s]/g, encodeURIComponent) + ")";
      }
      out += BLOCKS.test(tag) ? "\n" + inner + "\n" : inner;
    });
    return out;
  }

  function textLines(text) {
    return dropControlCharacters(text).replace(/\u00A0/g, " ").split("\n").map(function (line) {
      return line.replace(/ {2,}/g, " ").trim();
    }).filter(function (line) { return line; });
  }

  function wordMarker(marker) {
    var written = marker.replace(/[\s\u00A0]+/g, "");
    var number = /^(\d+)[.)]?$/.exec(written);
    if (number) { return {kind: "ordered", number: parseInt(number[1], 10)}; }
    if (/^(\(?[a-zA-Z]{1,7}[.)]|\([a-zA-Z]{1,7}\)|\(\d+\)|\d+\)|\d+(\.\d+)+\.?)$/.test(written)) {
      return {kind: "label", label: written};
    }
    return {kind: "bullet"};
  }

  function htmlBlocks(html) {
    var doc = new DOMParser().parseFromString(withoutInlineStyles(html), "text/html");
    var blocks = [];
    var levels = [];  // the Word list levels open above the next item

    function last() { return blocks[blocks.length - 1]; }

    function paragraph(lines) {
      if (lines.length) {
        blocks.push({type: "paragraph", lines: lines});
        levels = [];
      }
    }

    function item(depth, marker, lines) {
      if (!lines.length) { return; }
      blocks.push({
        type: "item",
        depth: depth,
        kind: marker.kind,
        number: marker.number,
        label: marker.label,
        lines: lines
      });
    }

    // Word's levels may skip ("level1", then "level3"): each open level is one deeper.
    function wordItem(level, marker, lines) {
      while (levels.length && levels[levels.length - 1] > level) { levels.pop(); }
      if (!levels.length || levels[levels.length - 1] < level) { levels.push(level); }
      item(levels.length - 1, wordMarker(marker), lines);
    }

    function block(element) {
      var tag = tagOf(element);
      var state = {marker: "", skipping: false, bold: /^h\d$/.test(tag), italic: false, lists: true};
      var lines = textLines(inline(element, state));
      if (/^h\d$/.test(tag)) { lines = lines.map(function (line) { return "**" + line + "**"; }); }
      var match = WORD_LIST.exec(styleAttr(element));
      if (match && !/mso-list:\s*none/i.test(styleAttr(element))) {
        wordItem(parseInt(match[2], 10), state.marker, lines);
      } else if (/^MsoListParagraph/i.test(element.className) && last() && last().type === "item") {
        // A paragraph of a list item without a bullet of its own.
        Array.prototype.push.apply(last().lines, lines);
      } else {
        paragraph(lines);
      }
    }

    function list(element, depth) {
      var ordered = tagOf(element) === "ol";
      var number = parseInt(element.getAttribute("start") || "1", 10) || 1;
      Array.prototype.forEach.call(element.children, function (child) {
        var tag = tagOf(child);
        if (tag === "ul" || tag === "ol") {
          list(child, depth + 1);
          return;
        }
        if (tag !== "li") { return; }
        var value = parseInt(child.getAttribute("value") || "", 10);
        if (value) { number = value; }
        var state = {marker: "", skipping: false, bold: false, italic: false, lists: true};
        item(depth, ordered ? {kind: "ordered", number: number} : {kind: "bullet"},
          textLines(inline(child, state)));
        number += 1;
        // The item's own sublists, however deep in its markup, but not theirs.
        Array.prototype.forEach.call(child.querySelectorAll("ul, ol"), function (nested) {
          if (nested.parentElement.closest("ul, ol") === element) { list(nested, depth + 1); }
        });
      });
      levels = [];
    }

    function table(element) {
      var rows = Array.prototype.map.call(element.rows, function (row) {
        return Array.prototype.map.call(row.cells, function (cell) {
          var state = {marker: "", skipping: false, bold: false, italic: false, lists: false};
          return textLines(inline(cell, state)).join(" ");
        });
      }).filter(function (row) { return row.some(function (cell) { return cell; }); });
      if (!rows.length) { return; }
      if (Math.max.apply(null, rows.map(function (row) { return row.length; })) < 2) {
        rows.forEach(function (row) { paragraph(textLines(row.join(" "))); });
        return;
      }
      blocks.push({type: "table", rows: rows});
      levels = [];
    }

    function walk(container) {
      var pending = doc.createElement("div");
      function flush() {
        if (pending.childNodes.length) {
          paragraph(textLines(inline(pending, {marker: "", skipping: false, bold: false, italic: false})));
          pending = doc.createElement("div");
        }
      }
      Array.prototype.slice.call(container.childNodes).forEach(function (child) {
        var tag = tagOf(child);
        if (!BLOCKS.test(tag)) {
          if (SKIPPED.test(tag)) { return; }
          if (child.nodeType === 1 && child.querySelector(BLOCK_SELECTOR)) {
            // Inline markup around blocks (Google Docs wraps everything in a <b>): its blocks.
            flush();
            walk(child);
          } else {
            pending.appendChild(child.cloneNode(true));
          }
          return;
        }
        flush();
        if (tag === "ul" || tag === "ol") {
          list(child, 0);
        } else if (tag === "table") {
          table(child);
        } else if (PARAGRAPHS.test(tag) && !child.querySelector("p, div, ul, ol, table")) {
          block(child);
        } else if (tag !== "hr") {
          walk(child);
        }
      });
      flush();
    }

    if (doc.body) { walk(doc.body); }
    return blocks;
  }

  function htmlToMarkdown(html) { return serialize(htmlBlocks(html)); }

  // The clipboard ------------------------------------------------------------------------------

  // What to insert for a paste: Word's HTML (or any HTML with real lists) when it holds lists,
  // tables or more than one paragraph; else the plain text, as lists if it has list lines.
  function clipboardToMarkdown(html, plain) {
    if (html && (FROM_WORD.test(html) || HAS_LIST.test(html))) {
      var blocks = htmlBlocks(html);
      var structured = hasList(blocks) || blocks.some(function (b) { return b.type === "table"; }) ||
        blocks.length > 1;
      if (structured || (blocks.length && !plain)) { return serialize(blocks); }
    }
    return plainToMarkdown(plain);
  }

  var LIST_LINE = /^\s*([-*+]|\d+[.)])\s/;

  // The pasted text with the blank lines it needs around it where it lands: a list or several
  // paragraphs start and end on lines of their own, a list pasted into a list joins it.
  function fitToCaret(before, text, after) {
    if (!/\n\n/.test(text) && !LIST_LINE.test(text) && !/^\|/.test(text)) { return text; }
    var lastLine = before.slice(before.lastIndexOf("\n") + 1);
    var joinsList = LIST_LINE.test(text) && (LIST_LINE.test(lastLine) ||
      (lastLine === "" && LIST_LINE.test(before.replace(/\n$/, "").split("\n").pop())));
    var lead = "";
    if (before.trim()) {
      if (joinsList) {
        lead = /\n$/.test(before) ? "" : "\n";
      } else if (!/\n\n$/.test(before)) {
        lead = /\n$/.test(before) ? "\n" : "\n\n";
      }
    }
    var textLast = text.split("\n").pop();
    var nextLine = after.replace(/^\n/, "").split("\n")[0];
    var trail = "";
    if (after.trim() && !/^\n\n/.test(after)) {
      if (LIST_LINE.test(textLast) && LIST_LINE.test(nextLine)) {
        trail = /^\n/.test(after) ? "" : "\n";
      } else {
        trail = /^\n/.test(after) ? "\n" : "\n\n";
      }
    }
    return lead + text + trail;
  }

  window.ScrutinyPaste = {
    dropControlCharacters: dropControlCharacters,
    plainToMarkdown: plainToMarkdown,
    htmlToMarkdown: htmlToMarkdown,
    clipboardToMarkdown: clipboardToMarkdown,
    fitToCaret: fitToCaret
  };

  // Wiring -------------------------------------------------------------------------------------

  // The minute-taker's console writes its narrative textareas in its template; they are
  // Markdown too.
  var TARGETS = 'textarea[data-paste="markdown"]';

  function insert(textarea, text) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    text = fitToCaret(textarea.value.slice(0, start), text, textarea.value.slice(end));
    var inserted = false;
    if (document.activeElement === textarea && document.execCommand) {
      try {
        // An edit on the browser's undo stack, announced by an "input" event as typing is.
        inserted = document.execCommand("insertText", false, text);
      } catch (error) {
        inserted = false;
      }
    }
    if (!inserted) {
      textarea.setRangeText(text, start, end, "end");
      textarea.dispatchEvent(new InputEvent("input", {bubbles: true, inputType: "insertFromPaste", data: text}));
    }
  }

  document.addEventListener("paste", function (event) {
    var textarea = event.target;
    if (!textarea.matches || !textarea.matches(TARGETS) || textarea.readOnly || textarea.disabled) { return; }
    var data = event.clipboardData;
    if (!data) { return; }
    var plain = data.getData("text/plain");
    var html = data.getData("text/html");
    if (!plain && !html) { return; }  // an image or a file: not ours
    var text = clipboardToMarkdown(html, plain);
    if (!text) { return; }
    event.preventDefault();
    insert(textarea, text);
  });
})();
