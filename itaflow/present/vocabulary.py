"""The officer's vocabulary, in one place.

The report (HTML, PDF, XLSX), the monitoring page, the mails and ``itaflow status``
all take their Thai words from here, so one concept has one word everywhere: a
finding names a field with the word on the report's column (``FIELDS``; the
expectations' ``field_labels`` must say the same, a test holds them to it).
Adding a check id to the catalogue means adding one line to ``CHECKS``; an unknown
id is shown as is.
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
    "must_resubmit": "ต้องส่งใหม่",
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

# The checks' verdict on one submission (``itaflow inspect``), in the same words.
VERDICTS = {k: STATES[k] for k in ("accepted", "accepted_with_warnings", "rejected")}

# What the LAO must do, per state that needs action.
ACTIONS = {
    "missing": "ส่งรายงาน",
    "rejected": "แก้ไขแล้วส่งใหม่",
    "quarantined": "ส่งไฟล์ใหม่ที่เปิดอ่านได้",
}

# The LAOs that must act: those with an action (reminded, listed first, flagged in the CLI).
MUST_ACT = tuple(ACTIONS)

# ``itaflow status``, the monitor and the digest call a quarantined file "unreadable"
# and say that it counts as received – must resubmit, never as missing.
STATE_KEY = {"quarantined": "unreadable"}
STATE_TH = {
    **{k: v for k, v in STATES.items() if k != "quarantined"},
    "unreadable": f"ส่งแล้ว – {SUMMARY['must_resubmit']} ({STATES['quarantined']})",
}
STATE_EN = {
    "accepted": "accepted",
    "accepted_with_warnings": "accepted with warnings",
    "rejected": "received – must resubmit (rejected)",
    "unreadable": "received – must resubmit (file could not be opened)",
    "missing": "missing",
}


def state_label(state: str) -> str:
    """The officer's word for an LAO's state where "received – must resubmit" is spelt out."""
    return STATE_TH.get(STATE_KEY.get(state, state), STATES.get(state, state))


TIMELINESS = {True: "ส่งตรงเวลา", False: "ส่งล่าช้า", None: "ยังไม่ส่ง"}
TIMELINESS_SHORT = {True: "ตรงเวลา", False: "ล่าช้า", None: "-"}  # a narrow terminal column

# What an officer can filter the monitor's table by, in the order the page offers them.
STATE_FILTERS = {
    **{
        k: SUMMARY[k]
        for k in (
            "missing",
            "received",
            "on_time",
            "late",
            "rejected",
            "accepted_with_warnings",
            "accepted",
            "quarantined",
        )
    },
    "resubmitted": "ส่งฉบับแก้ไข",
}

# The monitor's figure cards: the summary words, with what "must resubmit" adds up.
FIGURES = {
    **SUMMARY,
    "must_resubmit": f"{SUMMARY['must_resubmit']} ({STATES['rejected']} + {STATES['quarantined']})",
    "resubmitted": STATE_FILTERS["resubmitted"],
}

ROUNDS = {"H1": "รอบ 6 เดือน", "FY": "รอบ 12 เดือน"}

SEVERITIES = {"error": "ข้อผิดพลาด", "warning": "ข้อสังเกต"}

CATEGORIES = {
    "IIT": "IIT การรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน",
    "EIT": "EIT การรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก",
    "OIT": "OIT การเปิดเผยข้อมูลสาธารณะ",
    None: "ไม่ระบุด้าน",
}

# One word per field of a measure (and of a submission), as the report's columns head them.
FIELDS = {
    "measure": "มาตรการ",
    "steps": "ขั้นตอน/วิธีการดำเนินการ",
    "responsible": "ผู้รับผิดชอบ",
    "period": "ระยะเวลาดำเนินการ",
    "result": "ผลการดำเนินการ",
    "outcome": "ผลลัพธ์",
    "category": "ด้าน (IIT/EIT/OIT)",
    "indicator": "ตัวชี้วัด",
    "reporter": "ผู้รายงาน",
    "issue": "ประเด็น/ข้อบกพร่อง",
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
    "theme": "ประเด็น",
    "laos_count": "จำนวนหน่วยงาน",
    "measure": FIELDS["measure"],
    "steps": FIELDS["steps"],
    "responsible": FIELDS["responsible"],
    "period": f"{FIELDS['period']} (ตามรายงาน)",
    "period_start": "วันเริ่ม",
    "period_end": "วันสิ้นสุด",
    "result": FIELDS["result"],
    "outcome": FIELDS["outcome"],
    "status": "สถานะการดำเนินการ",
    "category_stated": "ด้าน (ตามรายงาน)",
    "category_used": "ด้าน (รวมที่อนุมาน)",
    "done": "ดำเนินการแล้ว",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "not_started": "ยังไม่ได้ดำเนินการ",
    "unknown": "ไม่ระบุสถานะ",
    "share_done": "ดำเนินการแล้ว (%)",
    "previous": "รอบก่อน",
    "current": "รอบนี้",
    "change": "เปลี่ยนแปลง",
    "rounds": "รอบที่พบ",
    "from_state": "ผลรอบก่อน",
    "to_state": "ผลรอบนี้",
    "direction": "แนวโน้ม",
    "metric": "ตัวชี้วัด",
    "lao_type": "ประเภท อปท.",
    "inferred": "อนุมานจากประเด็น",
    "themes_list": "ประเด็น",
    "received_date": "วันที่ส่ง",
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
    "types": "ผลการรายงานจำแนกตามประเภท อปท.",
    "activity": "ผลการดำเนินงานตามมาตรการของ อปท.",
    "categories": "มาตรการและสถานะการดำเนินการจำแนกตามด้าน",
    "themes": "มาตรการจำแนกตามประเด็น",
    "comparison": "เปรียบเทียบกับรอบก่อน",
    "movers": "หน่วยงานที่ผลดีขึ้นหรือลดลง",
    "recurring": "ปัญหาที่พบซ้ำ (ข้อค้นพบเดิมตั้งแต่ 2 รอบขึ้นไป)",
    "top_checks": "รายการตรวจที่ไม่ผ่านมากที่สุด",
    "charts": "แผนภูมิ",
    "signature": "ผู้จัดทำรายงาน",
    "validation": "สรุปผลการตรวจข้อมูล",
    "annex_measures": "มาตรการทั้งจังหวัด",
}

# LAO types in the order the office lists them (largest first).
LAO_TYPES = ("อบจ.", "เทศบาลนคร", "เทศบาลเมือง", "เทศบาลตำบล", "อบต.")

# Measure statuses in the order a chart stacks them.
STATUS_ORDER = ("done", "in_progress", "not_started", "unknown")

# How a report compares with an earlier round.
METRICS = {
    "reporting_rate": "อัตราการรายงาน",
    "on_time_rate": "อัตราการส่งตรงเวลา",
    "measures_per_lao": "จำนวนมาตรการเฉลี่ยต่อหน่วยงาน",
    "share_done": "สัดส่วนมาตรการที่ดำเนินการแล้ว",
    "themes_covered": "จำนวนประเด็นที่มีมาตรการ",
}

NO_THEME = "ไม่พบประเด็นที่กำหนด"
INFERRED = "อนุมานจากประเด็น"
