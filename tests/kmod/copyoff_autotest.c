// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_autotest: the policy of copy_offload=auto (copyoff_core/auto.c)
 * on a fake clock with figures it chooses.  Not installed by DKMS.
 *
 * auto.c itself is compiled into this module (included below), so what runs
 * here is the code copyoff_core runs; its functions take the time as an
 * argument.  At load every scenario runs once and logs one line,
 * "copyoff_autotest: PASS NAME" or "copyoff_autotest: FAIL NAME: what
 * (line N)", then a summary; the counts are also in
 * /sys/module/copyoff_autotest/parameters/{passed,failed}.  The module stays
 * loaded (rmmod it); it needs neither copyoff_core nor a device.
 *
 * Prefix: sc_ (a scenario); autotest_ (init and exit).
 */
#include "../../copyoff_core/auto.c"

#include <linux/module.h>
#include <linux/gfp.h>
#include <linux/string.h>

#undef pr_fmt
#define pr_fmt(fmt) "copyoff_autotest: " fmt

static uint passed;
module_param(passed, uint, 0444);
MODULE_PARM_DESC(passed, "Scenarios that passed at load");

static uint failed;
module_param(failed, uint, 0444);
MODULE_PARM_DESC(failed, "Scenarios that failed at load");

#define MIB		(1ULL << 20)
#define MS		NSEC_PER_MSEC
#define SEC		NSEC_PER_SEC
#define T0		(1000ULL * SEC)	/* a clock that has run for a while */
#define OFF		COPYOFF_PATH_OFFLOAD
#define EMU		COPYOFF_PATH_EMUL

/* A check of a scenario: on failure, log it and end the scenario. */
#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			pr_err("FAIL %s: %s (line %d)\n", name, #cond,	\
			       __LINE__);				\
			return false;					\
		}							\
	} while (0)

/* ns that @bytes take at @rate bytes per second (exact for the figures used) */
static u64 dur(u64 bytes, u64 rate)
{
	return div64_u64(bytes * NSEC_PER_SEC, rate);
}

/* a copy of @bytes by @path at @rate, ending at @end */
static void sample(struct copyoff_auto *a, unsigned int path, u64 bytes,
		   u64 rate, u64 end)
{
	copyoff_auto_sample(a, path, bytes, end - dur(bytes, rate), end);
}

static struct copyoff_auto_class *cls(struct copyoff_auto *a, u64 bytes)
{
	return &a->class[auto_class(bytes)];
}

static void fresh(struct copyoff_auto *a)
{
	memset(a, 0, sizeof(*a));
	copyoff_auto_init(a);
}

/* the gap after a probe of the slower path at @rate, factor @mult */
static u64 gap(u64 bytes, u64 rate, u64 mult)
{
	return min_t(u64, AUTO_PROBE_GAP_MAX, dur(bytes, rate) * mult);
}

static struct copyoff_auto A;

/* Size classes: up to 64 KiB, 1 MiB, 16 MiB, more; each its own figures. */
static bool sc_classes(const char *name)
{
	struct copyoff_auto *a = &A;

	CHECK(auto_class(0) == 0 && auto_class(1) == 0);
	CHECK(auto_class(65536) == 0 && auto_class(65537) == 1);
	CHECK(auto_class(MIB) == 1 && auto_class(MIB + 1) == 2);
	CHECK(auto_class(16 * MIB) == 2 && auto_class(16 * MIB + 1) == 3);
	CHECK(auto_class(1ULL << 40) == 3 && auto_class(U64_MAX) == 3);
	fresh(a);
	sample(a, OFF, MIB, 100000000, T0);
	CHECK(a->class[1].samples[OFF] == 1 && a->class[1].rate[OFF] == 100000000);
	CHECK(!a->class[0].samples[OFF] && !a->class[2].samples[OFF] &&
	      !a->class[3].samples[OFF]);
	return true;
}

/*
 * Rates: bytes over busy time, the sums of a window that halve at every
 * 100 ms of the clock; a path without new copies keeps its figure.
 */
static bool sc_rates(const char *name)
{
	struct copyoff_auto *a = &A;
	struct copyoff_auto_class *c = cls(a, MIB);
	unsigned int i;

	fresh(a);
	copyoff_auto_sample(a, OFF, MIB, T0, T0 + 10 * MS);
	CHECK(c->rate[OFF] == 104857600 && c->stamp[OFF] == T0 + 10 * MS);
	/* two copies in one window: 2 MiB over 15 ms, not the mean rate */
	fresh(a);
	sample(a, OFF, MIB, 100000000, T0);
	sample(a, OFF, MIB, 200000000, T0 + 50 * MS);
	CHECK(c->rate[OFF] == 133333333 && c->samples[OFF] == 2);
	/* the next window: the first two count half */
	sample(a, OFF, MIB, 400000000, T0 + 150 * MS);
	CHECK(c->wbytes[OFF] == 2 * MIB && c->rate[OFF] == 200000000);
	/* three windows later: an eighth */
	sample(a, OFF, MIB, 100000000, T0 + 499 * MS);
	CHECK(c->rate[OFF] == 111111111);
	/* 16 windows or more later: the new copy alone */
	sample(a, OFF, MIB, 400000000, T0 + 2100 * MS);
	CHECK(c->rate[OFF] == 400000000 && c->samples[OFF] == 5);
	/* a clock read earlier on another CPU halves nothing */
	sample(a, OFF, MIB, 100000000, T0 + 1900 * MS);
	CHECK(c->rate[OFF] == 160000000 && c->stamp[OFF] == T0 + 2100 * MS);
	/*
	 * one slow copy and eight fast ones: 2 MiB over 101 ms, as their
	 * time says (a mean of their rates would be 900 MB/s)
	 */
	fresh(a);
	copyoff_auto_sample_busy(a, EMU, MIB, 100 * MS, T0 + 10 * MS);
	for (i = 0; i < 8; i++)
		copyoff_auto_sample_busy(a, EMU, 131072, 131072, T0 + 20 * MS);
	CHECK(c->rate[EMU] == 20753899);
	/* nothing copied: no sample */
	fresh(a);
	copyoff_auto_sample(a, EMU, 0, T0, T0 + SEC);
	CHECK(!c->samples[EMU] && !c->rate[EMU]);
	/* no time at all, and more than 64 bits' worth of rate: capped */
	copyoff_auto_sample(a, EMU, MIB, T0, T0);
	CHECK(c->rate[EMU] == MIB * NSEC_PER_SEC);
	copyoff_auto_sample(a, EMU, 1ULL << 40, T0, T0 + 1);
	CHECK(a->class[3].rate[EMU] == U64_MAX / 2);
	/* sums near their limit halve first, the quotient stays */
	copyoff_auto_sample(a, EMU, 1ULL << 60, T0, T0 + 1000 * SEC);
	copyoff_auto_sample(a, EMU, 1ULL << 60, T0, T0 + 1000 * SEC);
	CHECK(a->class[3].wbytes[EMU] <= U64_MAX / 4);
	return true;
}

/*
 * A device without figures: offload first; once offload has a figure,
 * emulation is tried (one probe at a time: meanwhile offload again).
 */
static bool sc_first_tries(const char *name)
{
	struct copyoff_auto *a = &A;
	struct copyoff_auto_class *c = cls(a, MIB);

	fresh(a);
	CHECK(copyoff_auto_offload(a, MIB, T0));
	CHECK(copyoff_auto_offload(a, MIB, T0 + MS));
	sample(a, OFF, MIB, 100000000, T0 + 20 * MS);
	CHECK(!copyoff_auto_offload(a, MIB, T0 + 30 * MS));
	CHECK(c->probing && c->probe_path == EMU);
	CHECK(copyoff_auto_offload(a, MIB, T0 + 31 * MS));
	CHECK(copyoff_auto_offload(a, MIB, T0 + 40 * MS));
	sample(a, EMU, MIB, 400000000, T0 + 40 * MS);
	CHECK(!c->probing && c->samples[EMU] == 1);
	/* emulation is faster now */
	CHECK(!copyoff_auto_offload(a, MIB, T0 + 41 * MS));
	/* the other classes still offload first */
	CHECK(copyoff_auto_offload(a, 65536, T0 + 41 * MS));
	CHECK(copyoff_auto_offload(a, 32 * MIB, T0 + 41 * MS));
	return true;
}

/* The faster path per class, from the figures; copy_auto shows them. */
static bool sc_faster_per_class(const char *name)
{
	struct copyoff_auto *a = &A;
	char *buf = (char *)__get_free_page(GFP_KERNEL);
	bool ok = false;
	ssize_t len;

	CHECK(buf);
	fresh(a);
	/* 1M: emulation 400 MB/s, offload 100 MB/s */
	sample(a, EMU, MIB, 400000000, T0);
	sample(a, OFF, MIB, 100000000, T0);
	/* 64K: offload 400 MB/s, emulation 100 MB/s */
	sample(a, OFF, 65536, 400000000, T0);
	sample(a, EMU, 65536, 100000000, T0);
	/* 16M: offload 300 MB/s, emulation 300 MB/s: a tie offloads */
	sample(a, OFF, 16 * MIB, 300000000, T0);
	sample(a, EMU, 16 * MIB, 300000000, T0);
	len = copyoff_auto_show(a, buf);
	if (!copyoff_auto_offload(a, MIB, T0 + MS) &&
	    copyoff_auto_offload(a, 65536, T0 + MS) &&
	    copyoff_auto_offload(a, 16 * MIB, T0 + MS) &&
	    len > 0 && strstr(buf, "64K offload_bps=400000000 offload_n=1 emul_bps=100000000 emul_n=1 probe_factor=32\n") &&
	    strstr(buf, "1M offload_bps=100000000 offload_n=1 emul_bps=400000000 emul_n=1 probe_factor=32\n") &&
	    strstr(buf, "more offload_bps=0 offload_n=0 emul_bps=0 emul_n=0 probe_factor=32\n"))
		ok = true;
	else
		pr_info("%s: copy_auto reads: %s", name, buf);
	free_page((unsigned long)buf);
	CHECK(ok);
	return true;
}

/*
 * Re-probing: the slower path again once 32 times what a probe of it costs
 * has passed since the last; a probe that confirms the choice doubles the
 * factor (up to 1024), one probe in flight at a time.
 */
static bool sc_reprobe(const char *name)
{
	struct copyoff_auto *a = &A;
	struct copyoff_auto_class *c = cls(a, MIB);
	u64 last = T0, g, mult = 32;
	unsigned int i;

	fresh(a);
	sample(a, EMU, MIB, 400000000, T0);
	sample(a, OFF, MIB, 100000000, T0);	/* the slower path: a probe */
	CHECK(c->last_probe == T0);
	for (i = 0; i < 8; i++) {
		/* the window's sums round a little: the gap within 0.1% */
		g = gap(MIB, 100000000, mult);
		CHECK(!copyoff_auto_offload(a, MIB, last + g - g / 1000));
		CHECK(copyoff_auto_offload(a, MIB, last + g + g / 1000));
		CHECK(c->probing && c->probe_path == OFF);
		/* one probe at a time, however late */
		CHECK(!copyoff_auto_offload(a, MIB, last + g + g / 1000 + 1));
		CHECK(!copyoff_auto_offload(a, MIB, last + 2 * g + 1));
		last = last + g + g / 1000 + dur(MIB, 100000000);
		sample(a, OFF, MIB, 100000000, last);
		mult = min_t(u64, mult * 2, 1024);
		CHECK(!c->probing && c->mult == mult);
	}
	CHECK(mult == 1024);
	return true;
}

/* A probe that changes the choice brings the factor back to 32. */
static bool sc_probe_changes(const char *name)
{
	struct copyoff_auto *a = &A;
	struct copyoff_auto_class *c = cls(a, MIB);
	u64 t, g = gap(MIB, 100000000, 32);

	fresh(a);
	sample(a, EMU, MIB, 400000000, T0);
	sample(a, OFF, MIB, 100000000, T0);
	CHECK(copyoff_auto_offload(a, MIB, T0 + g));
	t = T0 + g + dur(MIB, 100000000);
	sample(a, OFF, MIB, 100000000, t);
	CHECK(c->mult == 64);
	g = gap(MIB, 100000000, 64);
	CHECK(copyoff_auto_offload(a, MIB, t + g));
	/*
	 * offload has become fast: 4 GB/s; 7 windows on, the earlier copies
	 * weigh 1/128: 2.99 GB/s
	 */
	sample(a, OFF, MIB, 4000000000ULL, t + g + dur(MIB, 4000000000ULL));
	CHECK(c->rate[OFF] == 2985549132ULL && c->mult == 32);
	t += g + dur(MIB, 4000000000ULL);
	CHECK(copyoff_auto_offload(a, MIB, t + MS));
	/* emulation is the slower path now: probed 32 x its cost after */
	g = gap(MIB, 400000000, 32);
	CHECK(copyoff_auto_offload(a, MIB, t - dur(MIB, 4000000000ULL) + g - 1));
	CHECK(!copyoff_auto_offload(a, MIB, t - dur(MIB, 4000000000ULL) + g));
	CHECK(c->probing && c->probe_path == EMU);
	return true;
}

/*
 * A figure of the slower path from a forced copy counts as a probe, also
 * one that came before the other path's first.
 */
static bool sc_forced_counts(const char *name)
{
	struct copyoff_auto *a = &A;
	struct copyoff_auto_class *c = cls(a, MIB);
	u64 g = gap(MIB, 100000000, 32);

	fresh(a);
	sample(a, EMU, MIB, 400000000, T0);
	sample(a, OFF, MIB, 100000000, T0);
	/* copy_offload=1 half-way to the next probe */
	sample(a, OFF, MIB, 100000000, T0 + g / 2);
	CHECK(c->last_probe == T0 + g / 2 && !c->probing);
	CHECK(!copyoff_auto_offload(a, MIB, T0 + g));
	CHECK(!copyoff_auto_offload(a, MIB, T0 + g / 2 + g - 1));
	CHECK(copyoff_auto_offload(a, MIB, T0 + g / 2 + g));
	/* a fresh figure of the faster path is no probe */
	fresh(a);
	sample(a, EMU, MIB, 400000000, T0);
	sample(a, OFF, MIB, 100000000, T0);
	sample(a, EMU, MIB, 400000000, T0 + g / 2);
	CHECK(c->last_probe == T0);
	CHECK(copyoff_auto_offload(a, MIB, T0 + g));
	/*
	 * forced emulation first, then forced offload, the faster: the
	 * emulation figure is the last probe, none is due at once
	 */
	fresh(a);
	g = gap(MIB, 100000000, 32);
	sample(a, EMU, MIB, 100000000, T0);
	sample(a, OFF, MIB, 400000000, T0 + g / 4);
	CHECK(c->last_probe == T0 && !c->probing);
	CHECK(copyoff_auto_offload(a, MIB, T0 + g / 4 + MS));
	CHECK(copyoff_auto_offload(a, MIB, T0 + g - 1));
	CHECK(!c->probing);
	CHECK(!copyoff_auto_offload(a, MIB, T0 + g));
	CHECK(c->probing && c->probe_path == EMU);
	return true;
}

/* Probes are at most 60 s apart; a probe that never reports blocks 60 s. */
static bool sc_gap_max(const char *name)
{
	struct copyoff_auto *a = &A;
	struct copyoff_auto_class *c = cls(a, MIB);
	u64 g, t;

	fresh(a);
	/* offload at 1 MB/s: a probe costs 1.05 s, 64 of them over 60 s */
	sample(a, EMU, MIB, 400000000, T0);
	sample(a, OFF, MIB, 1000000, T0);
	g = gap(MIB, 1000000, 32);
	CHECK(g < AUTO_PROBE_GAP_MAX);
	CHECK(copyoff_auto_offload(a, MIB, T0 + g));
	t = T0 + g + dur(MIB, 1000000);
	sample(a, OFF, MIB, 1000000, t);
	CHECK(c->mult == 64);
	CHECK(!copyoff_auto_offload(a, MIB, t + 60 * SEC - 1));
	CHECK(copyoff_auto_offload(a, MIB, t + 60 * SEC));
	/* its copy failed: no sample; no other probe for 60 s */
	t += 60 * SEC;
	CHECK(!copyoff_auto_offload(a, MIB, t + 60 * SEC));
	CHECK(copyoff_auto_offload(a, MIB, t + 60 * SEC + 1));
	/* a copy that takes over 60 s at the slower rate: 60 s as well */
	fresh(a);
	sample(a, EMU, 64 * MIB, 400000000, T0);
	sample(a, OFF, 64 * MIB, 1000000, T0);
	CHECK(!copyoff_auto_offload(a, 64 * MIB, T0 + 60 * SEC - 1));
	CHECK(copyoff_auto_offload(a, 64 * MIB, T0 + 60 * SEC));
	return true;
}

/*
 * The probe budget: back-to-back 1 MiB copies for 10 minutes, emulation at
 * 400 MB/s, offload at 100 MB/s; the slow path takes at most 1/32 of the
 * time, and is still tried now and then.
 */
static bool sc_budget(const char *name)
{
	struct copyoff_auto *a = &A;
	u64 now = T0, slow = 0, end = T0 + 600 * SEC, d;
	unsigned int probes = 0, n = 0;
	bool off;

	fresh(a);
	while (now < end) {
		off = copyoff_auto_offload(a, MIB, now);
		d = dur(MIB, off ? 100000000 : 400000000);
		copyoff_auto_sample(a, off ? OFF : EMU, MIB, now, now + d);
		if (off) {
			slow += d;
			probes++;
		}
		now += d;
		n++;
	}
	pr_info("%s: %u copies in 600 s, %u offloaded (%llu ms)\n", name, n,
		probes, div64_u64(slow, MS));
	CHECK(slow * 32 <= now - T0);
	/*
	 * 1 first try, then probes 32, 64, ... 1024 times 10.5 ms apart:
	 * 60 (allowing for rounding)
	 */
	CHECK(probes >= 58 && probes <= 62);
	CHECK(cls(a, MIB)->mult == 1024);
	return true;
}

/*
 * Busy time on the device: a copy is charged the real time over the number
 * of copies in flight on the device, of either path, so a copy alone is
 * charged its whole time and nine in step a ninth each, the one emulated
 * beside eight offloaded as well; the rate comes from that charge.
 */
static bool sc_busy_shared(const char *name)
{
	struct copyoff_auto *a = &A;
	struct copyoff_auto_class *c = cls(a, MIB);
	u64 v[8], va, vb, eb, ea, e, t;
	unsigned int i;

	fresh(a);
	v[0] = copyoff_auto_begin(a, OFF, T0);
	e = copyoff_auto_end(a, OFF, T0 + 10 * MS);
	CHECK(e - v[0] == 10 * MS && !a->inflight[OFF]);
	/* eight offloaded in step, 90 ms each, and one emulated beside them */
	t = T0 + SEC;
	for (i = 0; i < 8; i++)
		v[i] = copyoff_auto_begin(a, OFF, t);
	va = copyoff_auto_begin(a, EMU, t);
	CHECK(a->inflight[OFF] == 8 && a->inflight[EMU] == 1);
	for (i = 0; i < 8; i++) {
		e = copyoff_auto_end(a, OFF, t + 90 * MS);
		CHECK(e - v[i] == 10 * MS);
	}
	ea = copyoff_auto_end(a, EMU, t + 90 * MS);
	CHECK(ea - va == 10 * MS);
	CHECK(!a->inflight[OFF] && !a->inflight[EMU]);
	/* the emulated one took twice as long: charged what it had alone */
	t = T0 + 2 * SEC;
	for (i = 0; i < 8; i++)
		v[i] = copyoff_auto_begin(a, OFF, t);
	va = copyoff_auto_begin(a, EMU, t);
	for (i = 0; i < 8; i++)
		e = copyoff_auto_end(a, OFF, t + 90 * MS);
	CHECK(e - v[7] == 10 * MS);
	ea = copyoff_auto_end(a, EMU, t + 180 * MS);
	CHECK(ea - va == 100 * MS);
	/* staggered, either path: A from 0 to 30 ms, B from 10 to 20 ms */
	t = T0 + 3 * SEC;
	va = copyoff_auto_begin(a, OFF, t);
	vb = copyoff_auto_begin(a, EMU, t + 10 * MS);
	eb = copyoff_auto_end(a, EMU, t + 20 * MS);
	ea = copyoff_auto_end(a, OFF, t + 30 * MS);
	CHECK(eb - vb == 5 * MS && ea - va == 25 * MS);
	/* idle time is nobody's: a copy after a pause is charged its own time */
	va = copyoff_auto_begin(a, OFF, t + 5 * SEC);
	ea = copyoff_auto_end(a, OFF, t + 5 * SEC + 4 * MS);
	CHECK(ea - va == 4 * MS);
	/* 1 MiB charged 10 ms: the path's rate on the device */
	copyoff_auto_sample_busy(a, OFF, MIB, 10 * MS, t + 6 * SEC);
	CHECK(c->rate[OFF] == 104857600 && c->stamp[OFF] == t + 6 * SEC);
	/* a clock read earlier on another CPU charges nothing */
	va = copyoff_auto_begin(a, EMU, t + 7 * SEC);
	ea = copyoff_auto_end(a, EMU, t + 7 * SEC - MS);
	CHECK(ea == va && !a->inflight[EMU]);
	return true;
}

/*
 * Eight jobs in step, 64 KiB copies: offload costs the device 400 us a
 * copy, emulation 600 us, both figures known from forced copies.  Auto
 * offloads; a probe of emulation among seven offloaded copies is charged on
 * the shared clock and loses.  After 1000 rounds offload's cost goes up to
 * 900 us and emulation's down to 300 us: auto switches within two windows
 * (the figures are of the last one or two) and stays.  Both phases
 * misplace few copies (probes only).
 */
static bool sc_jobs(const char *name)
{
	struct copyoff_auto *a = &A;
	u64 now = T0, vs[8], vend, end, len, bytes = 65536, changed = 0;
	u64 t_off = 8 * 400 * NSEC_PER_USEC, t_emu = 8 * 600 * NSEC_PER_USEC;
	unsigned int i, round, n, p[8], wrong1 = 0, wrong2 = 0, switched = 0;

	fresh(a);
	/* the forced figures: eight copies in step of each */
	for (n = 0; n < 2; n++) {
		unsigned int path = n ? EMU : OFF;

		for (i = 0; i < 8; i++)
			vs[i] = copyoff_auto_begin(a, path, now);
		now += path == OFF ? t_off : t_emu;
		for (i = 0; i < 8; i++) {
			vend = copyoff_auto_end(a, path, now);
			copyoff_auto_sample_busy(a, path, bytes, vend - vs[i], now);
		}
	}
	for (round = 0; round < 2000; round++) {
		if (round == 1000) {
			changed = now;
			t_off = 8 * 900 * NSEC_PER_USEC;
			t_emu = 8 * 300 * NSEC_PER_USEC;
		}
		len = 0;
		for (i = 0; i < 8; i++) {
			p[i] = copyoff_auto_offload(a, bytes, now) ? OFF : EMU;
			vs[i] = copyoff_auto_begin(a, p[i], now);
			len = max(len, p[i] == OFF ? t_off : t_emu);
		}
		for (i = 0, n = 0; i < 8; i++) {
			end = now + (p[i] == OFF ? t_off : t_emu);
			vend = copyoff_auto_end(a, p[i], end);
			copyoff_auto_sample_busy(a, p[i], bytes, vend - vs[i], end);
			n += p[i] == EMU;
		}
		if (round < 1000)
			wrong1 += n;
		else if (switched)
			wrong2 += 8 - n;
		else if (n >= 7)
			switched = round;
		if (switched == round)
			changed = now - changed;
		now += len;
	}
	pr_info("%s: emulated %u of 8000 while offload was faster; switched in round %u, %llu ms after the change, then offloaded %u\n",
		name, wrong1, switched, div64_u64(changed, MS), wrong2);
	CHECK(wrong1 <= 30 && wrong2 <= 30);
	CHECK(switched > 1000 && changed <= 2 * AUTO_WINDOW);
	CHECK(!copyoff_auto_offload(a, bytes, now));
	return true;
}

static const struct {
	const char *name;
	bool (*fn)(const char *name);
} scenarios[] = {
	{ "classes", sc_classes },
	{ "rates", sc_rates },
	{ "first-tries", sc_first_tries },
	{ "faster-per-class", sc_faster_per_class },
	{ "reprobe", sc_reprobe },
	{ "probe-changes", sc_probe_changes },
	{ "forced-counts", sc_forced_counts },
	{ "gap-max", sc_gap_max },
	{ "budget", sc_budget },
	{ "busy-shared", sc_busy_shared },
	{ "jobs", sc_jobs },
};

static int __init autotest_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(scenarios); i++) {
		if (scenarios[i].fn(scenarios[i].name)) {
			pr_info("PASS %s\n", scenarios[i].name);
			passed++;
		} else {
			failed++;
		}
	}
	pr_info("%zu scenarios, %u passed, %u failed\n", ARRAY_SIZE(scenarios),
		passed, failed);
	return 0;
}

static void __exit autotest_exit(void)
{
}

module_init(autotest_init);
module_exit(autotest_exit);
MODULE_DESCRIPTION("copyoff: copy_offload=auto policy scenarios on a fake clock");
MODULE_LICENSE("GPL");
