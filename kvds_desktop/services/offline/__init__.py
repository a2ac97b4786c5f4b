"""Teachers working offline: week packs, teacher workbooks, marks files and the merge.

Import the submodules by name: ``facts`` (what files hand over), ``packs`` (sealed week
packs, the teacher's database, marks files), ``workbook`` (the XLSX for teachers
without the app), ``merge`` (importing, the conflict queue, receipts).
"""
