"""The 科目 catalogue: built in, extended by a district's CSV (with file:line errors for bad rows),
and the nearest known codes for a mistyped one."""

from builder.core.catalogue import BUILT_IN, ECONOMIC, FUNCTION, built_in, load, read_csv


def write(tmp_path, text, name="科目表.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_built_in_knows_the_seed_codes():
    catalogue = built_in()
    assert catalogue.name("2013101") == "行政运行"
    assert catalogue.name("30101") == "基本工资"
    assert catalogue.name("50101") == "工资奖金津补贴"
    assert catalogue.entry("201").source == BUILT_IN


def test_nearest_codes_for_a_typo():
    assert built_in().near("2080550")[0] == ("2080505", "机关事业单位基本养老保险缴费支出")
    assert built_in().near("30298", ECONOMIC)[0] == ("30299", "其他商品和服务支出")


def test_district_csv_adds_and_overrides(tmp_path):
    path = write(tmp_path, "科目编码,科目名称\n20126,档案事务\n2012604,档案馆\n2013101,行政运行（本区）\n")
    catalogue, findings = load([path])
    assert findings == []
    assert catalogue.name("20126") == "档案事务"
    assert catalogue.entry("2012604").source == f"{path}:3"
    assert catalogue.name("2013101") == "行政运行（本区）"
    assert catalogue.name("30101") == "基本工资"            # the rest of the built-in list stays


def test_a_gbk_csv_from_excel_is_read(tmp_path):
    catalogue, findings = read_csv(write(tmp_path, "科目编码,科目名称\r\n20126,档案事务\r\n", encoding="gbk"))
    assert findings == [] and catalogue.name("20126") == "档案事务"


def test_a_csv_in_no_encoding_read_is_named_at_its_line(tmp_path):
    path = write(tmp_path, "科目编码,科目名称\r\n20126,档案事务\r\n", encoding="utf-16")
    assert [str(f) for f in read_csv(path)[1]] == [
        f"{path}:1: 错误: 科目表是 UTF-16 编码（记事本的“Unicode”），请另存为 UTF-8"]
    path.write_bytes("科目编码,科目名称\n20126,档案事务\n".encode() + "20127,".encode() + "档案".encode("gbk") + b"\n")
    assert [str(f) for f in read_csv(path)[1]] == [
        f"{path}:3: 错误: 此行有不是 UTF-8 编码的文字（科目表其余部分是 UTF-8；可能是从别处粘贴来的），请重新输入这些文字后保存为 UTF-8"]


def test_classification_column_is_optional_but_honoured(tmp_path):
    catalogue, findings = read_csv(write(tmp_path, "科目编码,科目名称,分类\n30101,基本工资（试）,部门经济分类\n"))
    assert findings == [] and catalogue.codes[ECONOMIC]["30101"].name == "基本工资（试）"


def test_bad_rows_are_file_line_errors(tmp_path):
    path = write(tmp_path, "科目编码,科目名称\n# 注释行\n20126,档案事务\n2012X04,档案馆\n201260,六位\n"
                           "4010101,收入科目\n20127,\n20126,另一个名称\n")
    _, findings = read_csv(path)
    assert [(f.line, f.message) for f in findings] == [
        (4, "科目编码“2012X04”应为数字"),
        (5, "功能分类科目编码“201260”应为 3、5、7 位"),
        (6, "无法判断科目 4010101 属于哪种分类（功能分类以 2 开头，部门经济分类以 3 开头，政府经济分类以 5 开头），请加“分类”列"),
        (7, "科目 20127 缺少科目名称"),
        (8, "科目 20126 重复且名称不同（第 3 行为“档案事务”）"),
    ]
    assert all(f.file == str(path) for f in findings)


def test_header_is_required(tmp_path):
    _, findings = read_csv(write(tmp_path, "编码,名称\n20126,档案事务\n"))
    assert [(f.line, f.message) for f in findings] == [
        (1, "科目表第一行应为列名“科目编码,科目名称”（可加“分类”“其他名称”），缺少“科目编码、科目名称”")]
    assert FUNCTION in built_in().codes


def test_nearest_codes_are_looked_up_not_searched(tmp_path):
    """The codes two edits away are looked up in a district list of any size, and they are the
    ones comparing every code would find."""
    from builder.core.catalogue import Catalogue, Entry, _edits
    codes = {f"2{k:06d}": Entry(f"科目{k}", "x") for k in range(0, 2_000_000, 97)}
    codes.update({"2080505": Entry("甲", "x"), "2085050": Entry("乙", "x"), "2008505": Entry("丙", "x")})
    catalogue = Catalogue({FUNCTION: codes}, ())

    def compared(code):
        scored = sorted((_edits(code, other), -next((k for k in range(7) if code[k] != other[k]), 7), other, e.name)
                        for other, e in codes.items() if other != code and _edits(code, other) <= 2)
        return [(c, name) for _, _, c, name in scored[:3]]

    for code in ("2080550", "2805050", "2000097", "2999999", "2080505"):
        assert catalogue.near(code, FUNCTION) == compared(code)
    assert catalogue.near("2080550", FUNCTION)[0] == ("2080505", "甲")


def test_a_district_list_over_the_size_limit_is_refused(tmp_path):
    from builder.core.loader import MAX_BYTES
    path = write(tmp_path, "科目编码,科目名称\n" + "20126,档案事务\n" * (MAX_BYTES // 10))
    _, findings = read_csv(path)
    assert path.stat().st_size > MAX_BYTES
    assert [(f.line, f.message) for f in findings] == [(None, "科目表过大（9.6 MB，上限 5 MB）")]


# -- the wider built-in catalogue: codes other regions' documents print, each with its source -----

def _rows(path):
    import csv
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def test_every_built_in_row_has_its_source_and_no_source_row_is_left_over():
    from conftest import ROOT
    folder = ROOT / "templates" / "catalogue"
    sources = {r["科目编码"]: r for r in _rows(folder / "catalogue_sources.csv")}
    built = {}
    for name in ("function_codes.csv", "economic_codes.csv", "gov_economic_codes.csv"):
        built.update({r["科目编码"]: r for r in _rows(folder / name)})
    assert set(sources) == set(built)
    for code, row in built.items():
        assert sources[code]["科目名称"] == row["科目名称"], code
        assert sources[code]["出处"].startswith(("示例公开文件", "其他地区公开文件")), code
        for other in filter(None, (row.get("其他名称") or "").split("；")):
            assert f"其他名称“{other}”" in sources[code]["出处"], code     # an alias says where it was seen
    assert len(built) == 163 + 125               # the 163 of the examples and their class lists, 125 seen elsewhere
    # a code of another region's documents: its printed name, and where it was printed
    assert sources["2120104"] == {"科目编码": "2120104", "科目名称": "城管执法",
                                  "出处": "其他地区公开文件（上海普陀 街道 2024–2025; 上海普陀/江苏 2017–2026）"}


def test_other_regions_codes_are_known_with_the_names_printed_beside_them():
    catalogue = built_in()
    assert catalogue.name("2120101") == "行政运行"
    assert catalogue.name("21201") == "城乡社区管理事务"
    assert catalogue.name("2120104") == "城管执法"
    assert catalogue.name("2100717") == "计划生育服务"
    assert catalogue.name("30104", ECONOMIC) == "其他社会保障缴费"
    assert catalogue.name("20799") is None       # its name was cut short in the source: not merged


def test_names_of_other_editions_are_aliases_and_the_current_name_stays():
    catalogue = built_in()
    assert catalogue.name("30307") == "医疗费补助"
    assert catalogue.entry("30307").aliases == ("医疗费",)
    assert catalogue.other_edition("30307", "医疗费") == "医疗费补助"
    assert catalogue.other_edition("30307", "医疗费补助") is None
    assert catalogue.other_edition("30307", "别的名称") is None
    assert catalogue.name("20805") == "行政事业单位养老支出"
    assert catalogue.other_edition("20805", "行政事业单位离退休") == "行政事业单位养老支出"


def test_a_district_csv_may_give_other_names(tmp_path):
    path = write(tmp_path, "科目编码,科目名称,其他名称\n20126,档案事务,档案事务管理；档案管理\n20127,测试款,\n")
    catalogue, findings = read_csv(path)
    assert findings == []
    assert catalogue.entry("20126").aliases == ("档案事务管理", "档案管理")
    assert catalogue.entry("20127").aliases == ()
