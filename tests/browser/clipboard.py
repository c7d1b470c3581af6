# ruff: noqa: E501 - Word's HTML as Word writes it, long lines and all.
"""What Word and a PDF viewer put on the clipboard, for the paste tests.

``WORD_HTML`` is the HTML Word for Windows (Microsoft 365) puts on the clipboard for a passage
with a bulleted list of two levels and a numbered list with lettered sub-items: the
``<html xmlns:o…>`` head with the list definitions (``@list l0:level2``), ``MsoListParagraphCxSp…``
paragraphs styled ``mso-list:l0 level2 lfo1``, each bullet or number in a
``<span style='mso-list:Ignore'>`` between ``<![if !supportLists]>`` and ``<![endif]>``, the
Symbol-font "·" and Courier "o" bullets, ``&nbsp;`` padding, ``<o:p>`` and lines wrapped mid-sentence.
``WORD_PLAIN`` is the plain text Word puts beside it. ``PDF_PLAIN`` is text copied from a
council's PDF: bullets "•", "o" and "▪", indents as tabs, numbers "1." and letters "(a)".
"""

WORD_HTML = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns:m="http://schemas.microsoft.com/office/2004/12/omml"
xmlns="http://www.w3.org/TR/REC-html40">

<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<link rel=File-List
href="file:///C:/Users/SCRUTI~1/AppData/Local/Temp/msohtmlclip1/01/clip_filelist.xml">
<style>
<!--
 /* Font Definitions */
 @font-face
\t{font-family:Wingdings;
\tpanose-1:5 0 0 0 0 0 0 0 0 0;
\tmso-font-charset:2;
\tmso-generic-font-family:auto;
\tmso-font-pitch:variable;
\tmso-font-signature:0 268435456 0 0 -2147483648 0;}
 /* Style Definitions */
 p.MsoNormal, li.MsoNormal, div.MsoNormal
\t{mso-style-unhide:no;
\tmso-style-qformat:yes;
\tmso-style-parent:"";
\tmargin-top:0cm;
\tmargin-right:0cm;
\tmargin-bottom:8.0pt;
\tmargin-left:0cm;
\tline-height:107%;
\tmso-pagination:widow-orphan;
\tfont-size:11.0pt;
\tfont-family:"Arial",sans-serif;
\tmso-fareast-language:EN-US;}
p.MsoListParagraphCxSpFirst, li.MsoListParagraphCxSpFirst, div.MsoListParagraphCxSpFirst
\t{mso-style-priority:34;
\tmso-style-unhide:no;
\tmso-style-qformat:yes;
\tmso-style-type:export-only;
\tmargin-top:0cm;
\tmargin-right:0cm;
\tmargin-bottom:0cm;
\tmargin-left:36.0pt;
\tmso-add-space:auto;
\tfont-size:11.0pt;
\tfont-family:"Arial",sans-serif;}
 /* List Definitions */
 @list l0
\t{mso-list-id:1402557318;
\tmso-list-type:hybrid;
\tmso-list-template-ids:-1466036224 134807553 134807555 134807557 134807553 134807555 134807557 134807553 134807555 134807557;}
@list l0:level1
\t{mso-level-number-format:bullet;
\tmso-level-text:\\F0B7;
\tmso-level-tab-stop:none;
\tmso-level-number-position:left;
\ttext-indent:-18.0pt;
\tfont-family:Symbol;}
@list l0:level2
\t{mso-level-number-format:bullet;
\tmso-level-text:o;
\tmso-level-tab-stop:none;
\tmso-level-number-position:left;
\ttext-indent:-18.0pt;
\tfont-family:"Courier New";}
@list l1
\t{mso-list-id:2081248452;
\tmso-list-type:hybrid;
\tmso-list-template-ids:1620343802 134807567 134807577 134807579 134807567 134807577 134807579 134807567 134807577 134807579;}
@list l1:level1
\t{mso-level-tab-stop:none;
\tmso-level-number-position:left;
\ttext-indent:-18.0pt;}
@list l1:level2
\t{mso-level-number-format:alpha-lower;
\tmso-level-tab-stop:none;
\tmso-level-number-position:left;
\ttext-indent:-18.0pt;}
-->
</style>
</head>

<body lang=EN-GB style='tab-interval:36.0pt;word-wrap:break-word'>
<!--StartFragment-->

<p class=MsoNormal>The Chief Digital and Information Officer introduced the
report, which covered:<o:p></o:p></p>

<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol;mso-fareast-font-family:Symbol;mso-bidi-font-family:
Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>the ICT service’s hours of support<o:p></o:p></p>

<p class=MsoListParagraphCxSpMiddle style='margin-left:72.0pt;mso-add-space:
auto;text-indent:-18.0pt;mso-list:l0 level2 lfo1'><![if !supportLists]><span
style='font-family:"Courier New";mso-fareast-font-family:"Courier New"'><span
style='mso-list:Ignore'>o<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;
</span></span></span><![endif]>weekday cover from 8 am to 6 pm<o:p></o:p></p>

<p class=MsoListParagraphCxSpMiddle style='margin-left:72.0pt;mso-add-space:
auto;text-indent:-18.0pt;mso-list:l0 level2 lfo1'><![if !supportLists]><span
style='font-family:"Courier New";mso-fareast-font-family:"Courier New"'><span
style='mso-list:Ignore'>o<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;
</span></span></span><![endif]>out-of-hours cover for <i>critical</i> systems<o:p></o:p></p>

<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol;mso-fareast-font-family:Symbol;mso-bidi-font-family:
Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>the reliability of the core network<o:p></o:p></p>

<p class=MsoNormal><o:p>&nbsp;</o:p></p>

<p class=MsoNormal>Members discussed the following matters:<o:p></o:p></p>

<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span
style='mso-bidi-font-family:Arial'><span style='mso-list:Ignore'>1.<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>The timescale for replacing the <b>telephony</b>
system.<o:p></o:p></p>

<p class=MsoListParagraphCxSpMiddle style='margin-left:72.0pt;mso-add-space:
auto;text-indent:-18.0pt;mso-list:l1 level2 lfo2'><![if !supportLists]><span
style='mso-bidi-font-family:Arial'><span style='mso-list:Ignore'>a.<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>the cost of the interim support contract<o:p></o:p></p>

<p class=MsoListParagraphCxSpMiddle style='margin-left:72.0pt;mso-add-space:
auto;text-indent:-18.0pt;mso-list:l1 level2 lfo2'><![if !supportLists]><span
style='mso-bidi-font-family:Arial'><span style='mso-list:Ignore'>b.<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>the risk to the contact centre<o:p></o:p></p>

<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span
style='mso-bidi-font-family:Arial'><span style='mso-list:Ignore'>2.<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>The capacity of the service desk at peak times.<o:p></o:p></p>

<p class=MsoNormal><o:p>&nbsp;</o:p></p>

<p class=MsoNormal>The Chair thanked the officers for attending.<o:p></o:p></p>

<!--EndFragment-->
</body>

</html>
"""

WORD_PLAIN = (
    "The Chief Digital and Information Officer introduced the report, which covered:\r\n"
    "·         the ICT service’s hours of support\r\n"
    "o    weekday cover from 8 am to 6 pm\r\n"
    "o    out-of-hours cover for critical systems\r\n"
    "·         the reliability of the core network\r\n"
    "\r\n"
    "Members discussed the following matters:\r\n"
    "1.      The timescale for replacing the telephony system.\r\n"
    "a.      the cost of the interim support contract\r\n"
    "b.      the risk to the contact centre\r\n"
    "2.      The capacity of the service desk at peak times.\r\n"
    "\r\n"
    "The Chair thanked the officers for attending.\r\n"
)

WORD_MARKDOWN = """\
The Chief Digital and Information Officer introduced the report, which covered:

- the ICT service’s hours of support
  - weekday cover from 8 am to 6 pm
  - out-of-hours cover for *critical* systems
- the reliability of the core network

Members discussed the following matters:

1. The timescale for replacing the **telephony** system.
   - a. the cost of the interim support contract
   - b. the risk to the contact centre
2. The capacity of the service desk at peak times.

The Chair thanked the officers for attending."""

# The lists of WORD_MARKDOWN as the page shows them: (list tag, [(item text, sublist)]).
WORD_LISTS = [
    (
        "ul",
        [
            (
                "the ICT service’s hours of support",
                (
                    "ul",
                    [
                        ("weekday cover from 8 am to 6 pm", None),
                        ("out-of-hours cover for critical systems", None),
                    ],
                ),
            ),
            ("the reliability of the core network", None),
        ],
    ),
    (
        "ol",
        [
            (
                "The timescale for replacing the telephony system.",
                (
                    "ul.lettered",
                    [
                        ("a. the cost of the interim support contract", None),
                        ("b. the risk to the contact centre", None),
                    ],
                ),
            ),
            ("The capacity of the service desk at peak times.", None),
        ],
    ),
]

PDF_PLAIN = (
    "Members raised the following points:\n"
    "•\tthe backlog of repairs in council housing\n"
    "\to\tdamp and mould reports, which have\n"
    "\tdoubled since 2024\n"
    "\t\t▪\tresponse times in the north of the city\n"
    "•\tthe pilot of the new repairs contract\n"
    "The Board resolved:\n"
    "1.\tThat the report be noted.\n"
    "2.\tThat the Director be asked to report back on:\n"
    "\t(a)\tthe cost of clearing the backlog;\n"
    "\t(b)\tthe timetable for the new contract.\x00\x0c\n"
)

PDF_MARKDOWN = """\
Members raised the following points:

- the backlog of repairs in council housing
  - damp and mould reports, which have
    doubled since 2024
    - response times in the north of the city
- the pilot of the new repairs contract

The Board resolved:

1. That the report be noted.
2. That the Director be asked to report back on:
   - (a) the cost of clearing the backlog;
   - (b) the timetable for the new contract."""

PDF_LISTS = [
    (
        "ul",
        [
            (
                "the backlog of repairs in council housing",
                (
                    "ul",
                    [
                        (
                            "damp and mould reports, which have doubled since 2024",
                            ("ul", [("response times in the north of the city", None)]),
                        )
                    ],
                ),
            ),
            ("the pilot of the new repairs contract", None),
        ],
    ),
    (
        "ol",
        [
            ("That the report be noted.", None),
            (
                "That the Director be asked to report back on:",
                (
                    "ul.lettered",
                    [
                        ("(a) the cost of clearing the backlog;", None),
                        ("(b) the timetable for the new contract.", None),
                    ],
                ),
            ),
        ],
    ),
]
