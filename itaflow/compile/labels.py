"""The officer's vocabulary, in one place.

The HTML, PDF, XLSX and mail templates all take their Thai words from here (through
the view), so one concept has one word everywhere. Adding a check id to the
catalogue means adding one line to ``CHECKS``; an unknown id is shown as is.
"""

from __future__ import annotations

# Summary rows, in the order the office reads them (DHIS2-style reporting vocabulary).
SUMMARY = {
    "expected": "หน่วยงานที่ต้องรายงาน",
    "received": "ส่งแล้ว",
    "on_time": "ส่งตรงเวลา",
    "late": "ส่งล่าช้า",
    "missing": "ยังไม่ส่ง",
    "accepted": "ผ่าน",
    "accepted_with_warnings": "ผ่านแบบมีข้อสังเกต",
    "rejected": "ต้องแก้ไข",
    "quarantined": "เปิดไฟล์ไม่ได้",
    "reporting_rate": "อัตราการรายงาน",
    "on_time_rate": "อัตราการส่งตรงเวลา",
}

# What the office calls each state of an LAO in a round.
STATES = {
    "accepted": "ผ่าน",
    "accepted_with_warnings": "ผ่านแบบมีข้อสังเกต",
    "rejected": "ต้องแก้ไข",
    "quarantined": "เปิดไฟล์ไม่ได้",
    "missing": "ยังไม่ส่ง",
}

# What the LAO must do, per state that needs action.
ACTIONS = {
    "missing": "ส่งรายงาน",
    "rejected": "แก้ไขแล้วส่งใหม่",
    "quarantined": "ส่งไฟล์ใหม่ที่เปิดอ่านได้",
}

TIMELINESS = {True: "ส่งตรงเวลา", False: "ส่งล่าช้า", None: "ยังไม่ส่ง"}

ROUNDS = {"H1": "รอบ 6 เดือน", "FY": "รอบ 12 เดือน"}

SEVERITIES = {"error": "ข้อผิดพลาด", "warning": "ข้อสังเกต"}

CATEGORIES = {
    "IIT": "IIT การรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน",
    "EIT": "EIT การรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก",
    "OIT": "OIT การเปิดเผยข้อมูลสาธารณะ",
    None: "ไม่ระบุด้าน",
}

FIELDS = {
    "measure": "มาตรการ",
    "steps": "ขั้นตอน/วิธีการดำเนินการ",
    "responsible": "ผู้รับผิดชอบ",
    "period": "ระยะเวลาดำเนินการ",
    "result": "ผลการดำเนินการ",
    "outcome": "ผลลัพธ์",
}

MEASURE_STATUS = {
    "done": "ดำเนินการแล้ว",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "not_started": "ยังไม่ได้ดำเนินการ",
    "unknown": "ไม่ระบุสถานะ",
}

# The check catalogue of CONTRACT.md, in Thai.
CHECKS = {
    "unreadable_file": "เปิดหรืออ่านไฟล์ไม่ได้",
    "no_measures_found": "ไม่พบตารางมาตรการ",
    "not_an_implementation_report": "ไม่ใช่รายงานผลการดำเนินการ",
    "agency_unknown": "ไม่พบหน่วยงานในทะเบียน อปท.",
    "agency_name_inconsistent": "ชื่อหน่วยงานในเอกสารไม่ตรงกัน",
    "district_province_mismatch": "อำเภอไม่อยู่ในจังหวัดที่ระบุ",
    "foreign_agency_mentioned": "พบชื่อหน่วยงานอื่นในเอกสาร",
    "fiscal_year_inconsistent": "ปีงบประมาณในเอกสารไม่ตรงกัน",
    "period_unparseable": "อ่านระยะเวลาดำเนินการไม่ได้",
    "period_outside_fiscal_year": "ระยะเวลาอยู่นอกปีงบประมาณหรือรอบรายงาน",
    "round_inconsistent": "รอบการรายงานไม่ตรงกัน",
    "missing_field": "ข้อมูลไม่ครบ",
    "column_shift": "ข้อมูลอยู่ผิดช่อง",
    "header_row_as_data": "หัวตารางซ้ำเป็นข้อมูล",
    "duplicate_text": "ข้อความซ้ำกับมาตรการอื่น",
    "placeholder_text": "ข้อความแบบฟอร์มที่ยังไม่ได้กรอก",
    "garbled_text": "ข้อความผิดเพี้ยน",
    "foreign_script": "พบอักษรภาษาอื่นปน",
    "duplicate_submission": "ไฟล์ซ้ำกับที่ส่งแล้ว",
}

# Column headings shared by the HTML, PDF and XLSX tables.
COLUMNS = {
    "seq": "ลำดับ",
    "lao_code": "รหัส อปท.",
    "name": "หน่วยงาน",
    "type": "ประเภท",
    "district": "อำเภอ",
    "province": "จังหวัด",
    "timeliness": "การส่ง",
    "received_at": "วันที่ส่ง",
    "version": "ฉบับที่",
    "state": "ผลการตรวจ",
    "measures": "จำนวนมาตรการ",
    "errors": "ข้อผิดพลาด",
    "warnings": "ข้อสังเกต",
    "action": "สิ่งที่ต้องดำเนินการ",
    "reasons": "เหตุผล",
    "check": "รหัสการตรวจ",
    "check_th": "รายการตรวจ",
    "count": "จำนวน",
    "severity": "ระดับ",
    "measure_seq": "มาตรการที่",
    "field": "ช่อง",
    "message": "รายละเอียด",
    "category": "ด้าน",
    "file": "ไฟล์",
    "agency": "หน่วยงานตามเอกสาร",
    "sha256": "SHA-256",
    "link": "ลิงก์",
    "item": "รายการ",
}

SECTIONS = {
    "summary": "สรุปผลการรายงาน",
    "districts": "ผลการรายงานรายอำเภอ",
    "must_act": "หน่วยงานที่ต้องดำเนินการ",
    "laos": "ผลการรายงานรายหน่วยงาน",
    "findings": "ข้อค้นพบจากการตรวจ",
    "measures": "มาตรการจำแนกตามด้าน",
    "data_docs": "รายงานผลการตรวจข้อมูล (Data Docs)",
    "unmatched": "ไฟล์ที่ระบุหน่วยงานไม่ได้",
}
