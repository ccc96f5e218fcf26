"""Kill at every step (docs/native-device.md): TC_CRASH_AT_STEP=N ends tinycontainerd at the N-th
durable step of its container store while it installs a new container and while it updates a
started, reconfigured one from v1 to v2, for N = 1, 2, ... until the operation completes before
step N. After each kill the daemon is started without the hook and: the store reports no damage;
the container is the old state or the new one, never a mix (install: absent or v2; update: v1
with its config update, or v2 with its own manifest schedule, and running again); once v2 was
seen, every later step gives v2; the other, running container is intact.

Usage: kill_every_step_test.py TINYCONTAINERD TINYCTL TICKER_WASM MANIFEST COSE_TOOL WORKDIR"""
import os
import shutil
import sys

from daemon_harness import (Daemon, DaemonDied, Fixture, configure, containers, install, start,
                            wait_until)

CRASH_EXIT = 86
RUNNING = {"ready", "running", "sleeping", "blocked"}


def main(daemon_bin, tinyctl, wasm, manifest, cose_tool, work):
    fx = Fixture(tinyctl, wasm, manifest, cose_tool, work)
    state = os.path.join(work, "state")
    log = os.path.join(work, "daemon.log")
    total_kills = 0
    for update in (False, True):
        name = "update v1->v2" if update else "install"
        baseline = os.path.join(work, "baseline-" + ("update" if update else "install"))
        d = Daemon(daemon_bin, baseline, fx.trust, log)
        install(d.client, fx.images["other-v1"])
        start(d.client, fx, "other")
        if update:
            install(d.client, fx.images["ticker-v1"])
            start(d.client, fx, "ticker")
            # v1 runs with a config update; v2 starts from its own manifest (priority 4).
            configure(d.client, fx, "ticker", 9, "300ms")
            assert containers(d.client)["ticker"]["priority"] == 9
        assert d.stop() == 0
        os.remove(os.path.join(baseline, "lock"))

        seen_new = False
        for n in range(1, 200):
            shutil.rmtree(state, ignore_errors=True)
            shutil.copytree(baseline, state)
            d = Daemon(daemon_bin, state, fx.trust, log, env={"TC_CRASH_AT_STEP": str(n)})
            try:
                install(d.client, fx.images["ticker-v2"])
                completed = d.alive()
            except DaemonDied:
                completed = False
            if completed:
                assert d.stop() == 0, "daemon did not exit 0 after the completed " + name
            else:
                code = d.wait()
                out = open(log).read()
                assert code == CRASH_EXIT, "%s step %d: exit %d\n%s" % (name, n, code, out)
                assert "TC_CRASH_AT_STEP: exit at step %d " % n in out, out
                total_kills += 1

            d = Daemon(daemon_bin, state, fx.trust, log)
            out = d.output()
            assert "damaged: none" in out, "%s step %d: store damage reported:\n%s" % (name, n, out)
            cs = containers(d.client)
            assert cs.get("other", {}).get("version") == 1, "%s step %d: other lost: %s" % (name, n, cs)
            wait_until(lambda: containers(d.client)["other"]["state"] in RUNNING, what="other running")
            ticker = cs.get("ticker")
            if ticker is None:
                assert not update and not seen_new, "%s step %d: ticker lost" % (name, n)
                what = "absent"
            else:
                version = ticker["version"]
                assert version == 2 or (update and version == 1 and not seen_new), \
                    "%s step %d: ticker v%d after v2 was seen" % (name, n, version)
                seen_new = seen_new or version == 2
                if version == 1:
                    assert ticker["priority"] == 9, "%s step %d: v1 lost its config" % (name, n)
                else:
                    assert ticker["priority"] == 4, \
                        "%s step %d: v2 came back with v1's config update" % (name, n)
                if update:
                    wait_until(lambda: containers(d.client)["ticker"]["state"] in RUNNING,
                               what="ticker running again")
                what = "v%d %s" % (version, ticker["state"])
            assert d.stop() == 0
            print("%-14s crash at step %2d: %s -> ticker %s" %
                  (name, n, "completed" if completed else "killed", what))
            if completed:
                assert cs["ticker"]["version"] == 2
                break
        else:
            raise AssertionError(name + " never completed")
    print("PASS: %d kills, old or new version every time, nothing else lost" % total_kills)


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    main(*sys.argv[1:])
