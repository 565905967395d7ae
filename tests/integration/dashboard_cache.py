"""The Python half of test_dashboard_cache.sh: the school page is cached
(web/cache.c) yet shows every change at once (docs/internals/web.md, "The
page cache").

    dashboard_cache.py PHASE URL DB WORK

PHASE write:  the page asked for twice (cached), then a unit officer
              decides an item waiting for review through POST /review/decide
              and a school user opens an appeal through POST /appeals/open:
              the next GET shows the decision (the item leaves the decide
              section) and the appeal, and the other user's page too.
PHASE run:    after `audit` ran in another process beside the server (as a
              re-check landing does), the page shows the new audit run."""
import re
import sys

import dashboard_http as h  # reads PHASE URL DB WORK from argv as well

S1 = h.S1


def page(jar, school=S1):
    st, _, body = h.get(f"/school/{school}", jar)
    h.check(st == 200, f"GET /school/{school} answers 200 (got {st})")
    return body


def decide_forms(body):
    return [f for f in h.forms_of(body, h.URL)[0] if f["action"] == "/review/decide"]


def write_phase():
    officer = h.session("canbo-q1")
    school = h.session("truong-nd")
    # A school of Quận 1 with an item waiting for review.
    target, forms = None, []
    for sid in (h.S1, h.S2):
        page(officer, sid)
        forms = decide_forms(page(officer, sid))  # the second from the cache
        if forms:
            target = sid
            break
    if not h.check(target is not None, "a school of Quận 1 has an item waiting for review"):
        return
    item = forms[0]["fields"]["item"]
    fields = dict(forms[0]["fields"], verdict="pass", reason="Đã kiểm tra: cache-test-lý-do")
    st, _, _ = h.request("POST", "/review/decide", officer, fields)
    h.check(st == 303, f"POST /review/decide answers 303 (got {st})")
    after = decide_forms(page(officer, target))
    h.check(all(f["fields"]["item"] != item for f in after),
            f"right after the decision the decide section no longer lists {item}")
    admin = h.session("quantri")
    h.check(all(f["fields"]["item"] != item for f in decide_forms(page(admin, target))),
            "another user's page shows the decision too")
    # An appeal by the school's user, seen at once by it and by the officer.
    body = page(school)
    page(officer)
    opens = [f for f in h.forms_of(body, h.URL)[0] if f["action"] == "/appeals/open"]
    if not h.check(bool(opens), "the school's user has the appeal form"):
        return
    text = "Khiếu nại kiểm tra bộ nhớ đệm 4711"
    st, _, _ = h.request("POST", "/appeals/open", school, dict(opens[0]["fields"], text=text))
    h.check(st == 303, f"POST /appeals/open answers 303 (got {st})")
    h.check(text in page(school), "the school's page shows the new appeal at once")
    h.check(text in page(officer), "the officer's page of the school shows it at once")


def nth(body):
    m = re.findall(r"lần đánh giá thứ (\d+)", body)
    return int(m[0]) if m else 0


def run_phase(expect):
    jar = h.session("quantri")
    got = nth(page(jar))
    h.check(got == int(expect), f"the page shows audit run {expect} (lần đánh giá thứ {got})")


def main():
    if h.PHASE == "write":
        write_phase()
    elif h.PHASE == "before":
        run_phase(sys.argv[5])
        run_phase(sys.argv[5])
    elif h.PHASE == "run":
        run_phase(sys.argv[5])
    return h.report()


if __name__ == "__main__":
    sys.exit(main())
