"""The sandbox: files are read in reader processes with limits; a reader that runs out of memory,
overruns its time or dies is replaced, its file gets a clear rejection, and the caller never sees
an exception; readers are reused."""

import os
import signal

import pytest
from conftest import standard_rows, xlsx

from readiness.reader import check_dimensions
from readiness.sandbox import Job, Sandbox


def good() -> bytes:
    return xlsx({"Tiến độ": standard_rows()})


def big_csv(rows: int) -> bytes:
    head = "Đơn vị: Phường Yên Bình\nMã;Nội dung công việc;Tiểu ban;Trạng thái;Tỷ lệ (%)\n"
    body = "".join(f"{i};Nhiệm vụ số {i} {'x' * 200};Văn kiện;Đang thực hiện;50\n" for i in range(rows))
    return (head + body).encode("utf-8")


@pytest.fixture
def box(config):
    b = Sandbox(config, workers=1)
    yield b
    b.close()


def codes(report):
    return [m.code for m in report.errors]


def test_a_file_is_read_in_another_process_and_the_reader_is_reused(box):
    first = box.read(Job(good(), "a.xlsx"))
    assert first.accepted and first.unit == "Phường Yên Bình" and len(first.tasks) == 4
    (reader,) = box._idle
    assert reader.proc.pid != os.getpid()
    box.read(Job(good(), "b.xlsx"))
    assert box._idle == [reader]  # the same process served both


def test_a_reader_out_of_memory_is_replaced_and_its_file_rejected(config):
    tight = Sandbox(config, workers=1, memory_mb=40)
    try:
        report = tight.read(Job(big_csv(20_000), "lon.csv"))  # ~5 MB of text, far more as Python rows
        assert codes(report) == ["unsafe_file"]
        assert "an toàn" in report.errors[0].text("vi") and "safely" in report.errors[0].text("en")
        assert tight.read(Job(good(), "a.xlsx")).accepted  # a fresh reader takes the next file
    finally:
        tight.close()


def test_a_reader_past_its_wall_time_is_replaced(config):
    slow = Sandbox(config, workers=1, wall_s=0.05)
    try:
        slow.read(Job(good(), "warm.xlsx"))  # started and ready: only the read is timed
        report = slow.read(Job(big_csv(20_000), "cham.csv"))
        assert codes(report) == ["unsafe_file"]
        assert "took too long" in report.errors[0].text("en")
        assert slow.replaced == 1
    finally:
        slow.close()


def test_a_reader_killed_mid_read_is_a_rejection_not_an_exception(box, monkeypatch):
    from readiness import sandbox

    real = sandbox._Reader.call

    def call_then_die(self, verb, job, wall_s):
        os.kill(self.proc.pid, signal.SIGKILL)  # as the kernel's OOM killer or a native abort would
        return real(self, verb, job, wall_s)

    monkeypatch.setattr(sandbox._Reader, "call", call_then_die)
    report = box.read(Job(good(), "x.xlsx"))
    assert codes(report) == ["unsafe_file"] and "SIGKILL" in report.errors[0].message_en
    monkeypatch.setattr(sandbox._Reader, "call", real)
    assert box.read(Job(good(), "y.xlsx")).accepted


def test_a_reader_that_died_between_files_does_not_cost_the_next_file(box):
    box.read(Job(good(), "warm.xlsx"))
    (reader,) = box._idle
    reader.proc.stdout.close()  # the pipe breaks as if the process had gone
    assert box.read(Job(good(), "next.xlsx")).accepted
    assert box.replaced == 1


def test_batches_keep_their_order_over_two_readers(config):
    two = Sandbox(config, workers=2)
    try:
        units = ["Phường Yên Bình", "Xã Đông Sơn", "Xã Yên Sơn"] * 4
        reports = two.read_many([Job(xlsx({"T": standard_rows(u)}), f"{i}.xlsx") for i, u in enumerate(units)])
        assert [r.unit for r in reports] == units
    finally:
        two.close()


@pytest.mark.parametrize(
    ("far", "refused"),
    [("XFD1048576", "sheet_too_big"), ("XFD20000", "sheet_too_big"), ("Z60000", "too_many_rows"), ("GR900", None)],
)
def test_absurd_sheet_dimensions_are_refused_before_parsing(far, refused):
    import io

    import openpyxl

    from readiness.reader import ReadError

    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active[far] = "x", "y"
    buf = io.BytesIO()
    wb.save(buf)
    if refused == "sheet_too_big":
        with pytest.raises(ReadError) as err:
            check_dimensions(buf.getvalue())
        assert err.value.msg.params["cell"] == far and err.value.msg.params["sheet"] == "Sheet"
    elif refused:  # data past the row limit: refused, never silently cut
        with pytest.raises(ReadError) as err:
            check_dimensions(buf.getvalue())
        assert err.value.msg.code == refused and err.value.msg.sheet == "Sheet" and err.value.msg.row == 60000
    else:
        check_dimensions(buf.getvalue())  # a stray cell a clerk left nearby is no reason to refuse
