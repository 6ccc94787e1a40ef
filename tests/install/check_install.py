#!/usr/bin/python3
"""convscope installed the way users and packagers get it (issue 13).

  check_install.py prefix BUILD_DIR VERSION SCRATCH
      `cmake --install BUILD_DIR --prefix SCRATCH/…`: the files and where they go, the
      menu entry, AppStream metadata and man page valid per their tools, `--version`,
      and the installed tree moved elsewhere still working (headless export, a
      screenshot under Xvfb) while a binary without its share folder finds nothing:
      no fallback to the source or build tree, nothing from the current directory.

  check_install.py deb BUILD_DIR VERSION SCRATCH
      `cpack -G DEB` into SCRATCH: convscope_VERSION_ARCH.deb, whose Depends cover every
      library the program links or loads at run time (recorded with LD_DEBUG while the
      unpacked package exports headless and takes a screenshot under Xvfb) and the font,
      which `apt-get install -s` resolves, and which runs from a scratch root (dpkg -x).

A missing tool skips the test (exit 77), or fails it when CI=true.
"""

import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

SKIP = 77
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256)
PRESET = "seed_conv2d.json"
# Opened at run time, invisible to dpkg-shlibdeps, so named in Depends by packaging/CMakeLists.txt.
RUN_TIME_PACKAGES = ("libgl1", "libegl-mesa0", "libgl1-mesa-dri", "libglx-mesa0",
                     "libxcursor1", "libxi6", "libxinerama1", "libxrandr2", "fonts-dejavu-core")
FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)
    return ok


def need_tools(*tools):
    missing = [t for t in tools if shutil.which(t) is None]
    if not missing:
        return
    message = "missing tools: " + " ".join(missing) + " (scripts/setup installs them)"
    if os.environ.get("CI") == "true":
        sys.exit("FAIL  " + message)
    print("SKIP  " + message)
    sys.exit(SKIP)


def run(cmd, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    return subprocess.run([str(c) for c in cmd], **kw)


def clean_env(scratch, **extra):
    """The environment of a user who has only the installed program: no display unless
    given, no resource variable, home and XDG folders in the scratch folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "CONVSCOPE_RESOURCE_DIR")}
    home = scratch / "home"
    home.mkdir(exist_ok=True)
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"))
    env.update(extra)
    return env


def png_size(path):
    data = Path(path).read_bytes()[:24]
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", data[16:24])


def check_version(binary, version, env, cwd):
    r = run([binary, "--version"], env=env, cwd=cwd)
    check(r.returncode == 0 and r.stdout == f"convscope {version}\n" and r.stderr == "",
          f"--version prints 'convscope {version}' and exits 0 (got {r.returncode}, {r.stdout!r}, {r.stderr!r})")


def check_headless_export(binary, preset, out, env, cwd, ld_debug=None):
    if ld_debug:
        env = dict(env, LD_DEBUG="libs", LD_DEBUG_OUTPUT=str(ld_debug))
    r = run([binary, "export", preset, "--out", out, "--quiet"], env=env, cwd=cwd)
    size = png_size(out) if Path(out).exists() else None
    check(r.returncode == 0 and size is not None and size[0] > 100,
          f"headless export of {Path(preset).name} writes a PNG (exit {r.returncode}, size {size}, {r.stderr.strip()!r})")


def check_screenshot(binary, out, env, cwd, ld_debug=None):
    wrapped = [binary, "--screenshot", out]
    if ld_debug:
        # Only the program traces its libraries, not Xvfb and xvfb-run's shell.
        wrapped = ["env", "LD_DEBUG=libs", f"LD_DEBUG_OUTPUT={ld_debug}"] + wrapped
    r = run(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24"] + wrapped, env=env, cwd=cwd, timeout=60)
    size = png_size(out) if Path(out).exists() else None
    check(r.returncode == 0 and size == (1600, 1000),
          f"--screenshot under Xvfb writes a 1600×1000 PNG (exit {r.returncode}, size {size}, {r.stderr.strip()[-300:]!r})")


def check_share_tree(prefix, source_dir):
    share = prefix / "share"
    res = share / "convscope"
    check((res / "shaders/grid.frag").is_file(), "shaders in share/convscope/shaders/")
    presets = sorted(p.name for p in (source_dir / "assets/presets").glob("*.json"))
    installed = sorted(p.name for p in (res / "assets/presets").glob("*.json"))
    check(presets and installed == presets, f"all {len(presets)} presets in share/convscope/assets/presets/")
    check(png_size(res / "assets/icons/convscope.png") == (64, 64), "the window icon in share/convscope/assets/icons/")
    check(not (res / "assets/bench").exists(), "no benchmark inputs installed")
    fonts = [p for p in prefix.rglob("*") if p.suffix.lower() in (".ttf", ".otf")]
    check(not fonts, f"no fonts installed (fonts-dejavu-core provides them): {fonts}")
    for size in HICOLOR_SIZES:
        icon = share / f"icons/hicolor/{size}x{size}/apps/convscope.png"
        check(png_size(icon) == (size, size), f"{size}×{size} icon in share/icons/hicolor/")
        described = run(["file", "-b", icon]).stdout
        check(described.startswith(f"PNG image data, {size} x {size}"), f"file(1) agrees: {described.strip()}")
    check((share / "icons/hicolor/scalable/apps/convscope.svg").is_file(), "scalable SVG icon")
    check((share / "man/man1/convscope.1").is_file(), "man page in share/man/man1/")


def check_desktop_and_metainfo(share, version):
    desktops = sorted((share / "applications").glob("*.desktop"))
    metainfos = sorted((share / "metainfo").glob("*.metainfo.xml"))
    if not check(len(desktops) == 1 and len(metainfos) == 1, "one .desktop file and one metainfo file"):
        return
    desktop, metainfo = desktops[0], metainfos[0]
    r = run(["desktop-file-validate", desktop])
    check(r.returncode == 0 and r.stdout.strip() == "", f"desktop-file-validate {desktop.name}: {r.stdout.strip()}")
    r = run(["appstreamcli", "validate", "--no-net", "--pedantic", metainfo])
    check(r.returncode == 0, f"appstreamcli validate --no-net {metainfo.name}: {r.stdout.strip()}")

    entry = dict(line.split("=", 1) for line in desktop.read_text().splitlines() if "=" in line)
    check(entry.get("Exec", "").split()[0] == "convscope", "the menu entry runs convscope (found on PATH)")
    check("MimeType" not in entry, "no MimeType: scenario files are plain .json, which convscope must not claim")
    icon = entry.get("Icon", "")
    check((share / f"icons/hicolor/scalable/apps/{icon}.svg").is_file(), f"Icon={icon} is installed in hicolor")

    root = ET.parse(metainfo).getroot()
    app_id = root.findtext("id")
    check(metainfo.name == f"{app_id}.metainfo.xml", f"metainfo named after its id {app_id}")
    check(desktop.name == f"{app_id}.desktop", f"desktop file named after the id ({desktop.name})")
    check(root.findtext("launchable") == desktop.name, "metainfo's launchable is the desktop file")
    newest = root.find("releases/release")
    check(newest is not None and newest.get("version") == version,
          f"newest release in the metainfo is {version} (project() in CMakeLists.txt)")
    for shot in root.iter("image"):
        check((shot.text or "").startswith("https://"), f"screenshot at a public https URL: {shot.text}")


def roff_text(path):
    """The man page's source with roff's escapes for '-' and fonts taken out, to search."""
    text = path.read_text()
    return re.sub(r"\\f[BIRP]|\\c", "", text.replace("\\-", "-"))


def help_words(binary, env, cwd):
    """Every subcommand and --option that `convscope --help` and each subcommand's help list."""
    top = run([binary, "--help"], env=env, cwd=cwd).stdout
    words = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", top))
    commands = re.findall(r"^\s{2}([a-z]+)\s{2,}", top.split("Subcommands:")[-1], re.M) if "Subcommands:" in top else []
    for command in commands:
        words.add(command)
        sub = run([binary, command, "--help"], env=env, cwd=cwd).stdout
        words |= set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", sub))
    return top, commands, words


def check_man_page(man, binary, env, cwd):
    r = run(["groff", "-man", "-ww", "-z", man])
    check(r.returncode == 0 and r.stderr.strip() == "", f"groff -man -ww renders the man page without warnings: {r.stderr.strip()}")
    top, commands, words = help_words(binary, env, cwd)
    check("--version" in top, "--help mentions --version")
    check(set(commands) >= {"compute", "trace", "explain", "export", "gallery"}, f"--help lists the commands: {commands}")
    text = roff_text(man)
    missing = sorted(w for w in words if w not in text)
    check(not missing, f"the man page describes every command and option of --help (missing: {missing})")
    for section in ("COMMANDS", "OPTIONS", "KEYS", "FILES", "ENVIRONMENT"):
        check(f".SH {section}" in text, f"man page section {section}")


def check_no_fallback(binary, scratch, preset):
    """The binary alone, away from its share folder: nothing to find, whatever the current
    directory holds; the source and build trees are not looked at."""
    lonely = scratch / "lonely/bin"
    lonely.mkdir(parents=True)
    shutil.copy2(binary, lonely / "convscope")
    cwd_with_resources = binary.parent.parent / "share/convscope"
    r = run([lonely / "convscope", "export", preset, "--out", scratch / "lonely.png"],
            env=clean_env(scratch), cwd=cwd_with_resources)
    check(r.returncode == 2 and "cannot find convscope's shaders/ and assets/" in r.stderr and r.stderr.count("\n") == 1,
          f"a binary without its share folder says so in one line, exit 2 (got {r.returncode}: {r.stderr.strip()!r})")
    check(not (scratch / "lonely.png").exists(), "… and writes nothing")
    r = run([lonely / "convscope", "export", preset, "--out", scratch / "lonely.png", "--quiet"],
            env=clean_env(scratch, CONVSCOPE_RESOURCE_DIR=str(cwd_with_resources)), cwd=scratch)
    check(r.returncode == 0 and png_size(scratch / "lonely.png") is not None,
          f"… and works with CONVSCOPE_RESOURCE_DIR pointing at a share folder (exit {r.returncode})")


def prefix_test(build_dir, version, scratch):
    need_tools("cmake", "desktop-file-validate", "appstreamcli", "groff", "file", "xvfb-run")
    source_dir = Path(re.search(r"^CMAKE_HOME_DIRECTORY:INTERNAL=(.*)$",
                                (build_dir / "CMakeCache.txt").read_text(), re.M).group(1))
    first = scratch / "first"
    r = run(["cmake", "--install", build_dir, "--prefix", first])
    if not check(r.returncode == 0, f"cmake --install {build_dir} --prefix {first}: {r.stderr.strip()}"):
        return
    check((first / "bin/convscope").is_file() and os.access(first / "bin/convscope", os.X_OK), "bin/convscope")
    check_share_tree(first, source_dir)
    check_desktop_and_metainfo(first / "share", version)

    # Relocatable: the whole prefix moved, run from an unrelated folder.
    moved = scratch / "moved elsewhere"
    first.rename(moved)
    binary = moved / "bin/convscope"
    away = scratch / "cwd"
    away.mkdir()
    env = clean_env(scratch)
    check_version(binary, version, env, away)
    check_man_page(moved / "share/man/man1/convscope.1", binary, env, away)
    preset = moved / "share/convscope/assets/presets" / PRESET
    check_headless_export(binary, preset, scratch / "export.png", env, away)
    check_headless_export(binary, preset, scratch / "export_env.png",
                          clean_env(scratch, CONVSCOPE_RESOURCE_DIR=str(scratch / "nowhere")), away)
    check_screenshot(binary, scratch / "screenshot.png", env, away)
    check_no_fallback(binary, scratch, preset)
    embedded = binary.read_bytes()
    for tree in (source_dir, build_dir.resolve()):
        check(str(tree).encode() not in embedded, f"the binary holds no path into {tree}")


def depends_of(field):
    """Depends field → list of alternative groups, each a list of package names."""
    groups = []
    for group in filter(None, (g.strip() for g in field.split(","))):
        groups.append([re.split(r"[\s(:]", alt.strip())[0] for alt in group.split("|")])
    return groups


def closure(direct):
    """What apt brings in for these Depends on a system that has none of them: each
    group's first alternative, recursively (a virtual package first brings nothing we can name)."""
    listing = run(["dpkg-query", "-W", "-f", "${Package}\t${Depends}, ${Pre-Depends}\n"]).stdout
    depends = {}
    for line in listing.splitlines():
        package, _, field = line.partition("\t")
        depends.setdefault(package, []).extend(depends_of(field))
    seen, todo = set(), [g[0] for g in direct]
    while todo:
        package = todo.pop()
        if package not in seen:
            seen.add(package)
            todo.extend(group[0] for group in depends.get(package, []))
    return seen


def owners(paths):
    """path → the installed package holding it (also found under its /usr-merged or real
    name), or None. One dpkg-query for all: each call reads the whole database."""
    candidates = {}
    for path in paths:
        names = {path, os.path.realpath(path)}
        for p in list(names):
            if p.startswith("/usr/lib/"):
                names.add(p[len("/usr"):])
            elif p.startswith("/lib/"):
                names.add("/usr" + p)
        candidates[path] = names
    everything = sorted(set().union(*candidates.values())) if candidates else []
    found = {}
    for line in run(["dpkg-query", "-S"] + everything).stdout.splitlines():
        package, _, where = line.partition(": ")
        found[where.strip()] = package.split(",")[0].split(":")[0].strip()
    return {path: next((found[n] for n in sorted(names) if n in found), None) for path, names in candidates.items()}


def loaded_libraries(ld_debug_prefix):
    libs = set()
    for log in ld_debug_prefix.parent.glob(ld_debug_prefix.name + ".*"):
        libs |= set(re.findall(r"calling init: (/\S+)", log.read_text(errors="replace")))
    return libs


def deb_test(build_dir, version, scratch):
    need_tools("cpack", "dpkg-deb", "dpkg-shlibdeps", "dpkg-query", "apt-get", "readelf", "file", "xvfb-run")
    arch = run(["dpkg", "--print-architecture"]).stdout.strip()
    out = scratch / "package"
    r = run(["cpack", "-G", "DEB", "--config", build_dir / "CPackConfig.cmake", "-B", out])
    debs = sorted(out.glob("*.deb"))
    if not check(r.returncode == 0 and [d.name for d in debs] == [f"convscope_{version}_{arch}.deb"],
                 f"cpack builds convscope_{version}_{arch}.deb (got {[d.name for d in debs]}; {r.stderr.strip()[-500:]})"):
        return
    deb = debs[0]
    fields = {f: run(["dpkg-deb", "-f", deb, f]).stdout.strip() for f in ("Package", "Version", "Architecture", "Depends")}
    print("      Depends: " + fields["Depends"])
    check(fields["Package"] == "convscope" and fields["Version"] == version and fields["Architecture"] == arch,
          f"control: {fields['Package']} {fields['Version']} {fields['Architecture']}")
    groups = depends_of(fields["Depends"])
    direct = {name for g in groups for name in g}
    for package in RUN_TIME_PACKAGES:
        check(package in direct, f"Depends names {package} (loaded at run time, invisible to dpkg-shlibdeps)")
    contents = run(["dpkg-deb", "-c", deb]).stdout
    for path in ("./usr/bin/convscope", "./usr/share/convscope/shaders/grid.frag",
                 f"./usr/share/convscope/assets/presets/{PRESET}", "./usr/share/man/man1/convscope.1",
                 "./usr/share/icons/hicolor/scalable/apps/convscope.svg"):
        check(path in contents, f"the package holds {path}")
    check(".ttf" not in contents and "/bench/" not in contents, "no fonts, no benchmark inputs in the package")

    root = scratch / "root"
    r = run(["dpkg", "-x", deb, root])
    check(r.returncode == 0, f"dpkg -x into a scratch root {r.stderr.strip()}")
    binary = root / "usr/bin/convscope"
    check("stripped" in run(["file", "-b", binary]).stdout and "not stripped" not in run(["file", "-b", binary]).stdout,
          "the packaged binary is stripped")
    away = scratch / "cwd"
    away.mkdir()
    env = clean_env(scratch)
    check_version(binary, version, env, away)
    trace = scratch / "ld_debug" / "trace"
    trace.parent.mkdir()
    check_headless_export(binary, root / "usr/share/convscope/assets/presets" / PRESET, scratch / "export.png", env,
                          away, ld_debug=trace)
    check_screenshot(binary, scratch / "screenshot.png", env, away, ld_debug=trace)

    # Every library the program linked or loaded, and the font, from a package apt installs for Depends.
    needed = set(re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", run(["readelf", "-d", binary]).stdout))
    libraries = loaded_libraries(trace)
    check(len(libraries) > len(needed) > 3, f"{len(needed)} linked libraries, {len(libraries)} loaded at run time")
    brought_in = closure(groups) | direct
    system_libraries = sorted(lib for lib in libraries if not Path(lib).resolve().is_relative_to(root.resolve()))
    package_of = owners(system_libraries + list(FONTS))
    for lib in system_libraries:
        package = package_of[lib]
        linked = os.path.basename(lib) in needed
        if linked:
            check(package in direct, f"{lib} (linked) is in {package}, named in Depends")
        else:
            check(package in brought_in, f"{lib} (loaded) is in {package}, which Depends brings in")
    for name in needed:
        check(any(os.path.basename(lib) == name for lib in libraries), f"linked library {name} was loaded")
    for font in FONTS:
        check(package_of[font] == "fonts-dejavu-core", f"{font} is in fonts-dejavu-core")
    check(FONTS[0].rsplit("/", 1)[0].encode() in binary.read_bytes(), "the binary looks for fonts in that folder")

    r = run(["apt-get", "install", "-s", "-q", str(deb.resolve())])
    check(r.returncode == 0 and ("Inst convscope" in r.stdout or "convscope is already" in r.stdout),
          f"apt-get install -s {deb.name} resolves: {(r.stdout + r.stderr).strip()[-400:]}")


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("prefix", "deb"):
        sys.exit(__doc__)
    mode, build_dir, version, scratch = sys.argv[1], Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    (prefix_test if mode == "prefix" else deb_test)(build_dir, version, scratch)
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
