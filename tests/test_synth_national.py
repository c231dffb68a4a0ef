"""``synth --all`` in small: many provinces, one seed, the same bytes on one core or two."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from itaflow.cli import main
from itaflow.synth.national import NATIONAL_FORMATS, choose_provinces, national_inbox

SMALL = ["ภูเก็ต", "ระนอง"]  # the two smallest provinces: 50 LAOs


def digest(folder: Path) -> dict[str, str]:
    """Each file's hash; Word and Excel files only by name (their zips carry the time)."""
    return {
        str(p.relative_to(folder)): (
            "" if p.suffix in (".docx", ".xlsx") else hashlib.sha256(p.read_bytes()).hexdigest()
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_seed_names_one_round_whatever_the_workers(tmp_path):
    one = national_inbox(tmp_path / "a", SMALL, seed=5, defect_rate=0.3, workers=1)
    two = national_inbox(tmp_path / "b", SMALL, seed=5, defect_rate=0.3, workers=2)
    assert one == two
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    truth = json.loads((tmp_path / "a.ground_truth.json").read_text("utf-8"))
    assert truth == json.loads(json.dumps(one, ensure_ascii=False))
    assert not (tmp_path / "a" / "a.ground_truth.json").exists()  # never inside the inbox

    files = [f for m in one["provinces"] for f in m["files"]]
    assert one["expected"] == 50 and one["files"] == len(files)
    assert all((tmp_path / "a" / f["file"]).is_file() for f in files)
    kinds = {f["kind"] for f in files}
    assert kinds == {"original", "resubmission", "duplicate"}
    assert any(f["late"] for f in files) and one["missing"] > 0
    originals = [f for f in files if f["kind"] == "original"]
    assert 0.2 < sum(bool(f["defect"]) for f in originals) / len(originals) < 0.4
    formats = [f["format"] for f in files]
    assert max(set(formats), key=formats.count) == "pdf"  # mostly PDF, as real rounds are
    assert set(formats) <= set(NATIONAL_FORMATS)


def test_provinces_are_drawn_by_seed():
    assert choose_provinces(3, 1) == choose_provinces(3, 1)
    assert len(choose_provinces(3, 1)) == 3
    assert len(choose_provinces(None, 1)) == 76  # --all: every province of the registry


def test_cli_writes_n_provinces(tmp_path, capsys):
    out = tmp_path / "inbox"
    args = ["synth", "--provinces", "1", "--seed", "13", "--defect-rate", "0", "--out", str(out)]
    assert main(args) == 0  # seed 13 draws สมุทรสาคร (38 LAOs)
    truth = json.loads((tmp_path / "inbox.ground_truth.json").read_text("utf-8"))
    assert truth["defect_rate"] == 0 and len(truth["provinces"]) == 1
    assert "1 provinces" in capsys.readouterr().out
