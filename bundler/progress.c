/* Progress bar: one line, redrawn in place with '\r', throttled so that a fast writer does not
 * spend its time printing. */
#include "progress.h"

#include <stdlib.h>
#include <time.h>

#define BAR_WIDTH 24

struct progress {
    FILE *out;
    double start;
    double last_draw;
    int drawn;
};

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_size(uint64_t bytes, char *buf, size_t len)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024) {
        snprintf(buf, len, "%llu B", (unsigned long long)bytes);
        return;
    }
    double v = (double)bytes / 1024;
    size_t u = 0;
    while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
        v /= 1024;
        u++;
    }
    snprintf(buf, len, v < 10 ? "%.2f %s" : "%.1f %s", v, units[u]);
}

struct progress *progress_new(FILE *out)
{
    struct progress *p = calloc(1, sizeof(*p));
    if (p) {
        p->out = out;
        p->start = progress_now();
    }
    return p;
}

static void draw(struct progress *p, uint64_t done, uint64_t total, double now)
{
    char d[32], t[32], r[32], bar[BAR_WIDTH + 1];
    double frac = total ? (double)done / (double)total : 1.0;
    double elapsed = now - p->start, rate = elapsed > 0 ? (double)done / elapsed : 0;
    int filled = (int)(frac * BAR_WIDTH);
    for (int i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : ' ';
    bar[BAR_WIDTH] = '\0';
    progress_size(done, d, sizeof(d));
    progress_size(total, t, sizeof(t));
    progress_size((uint64_t)rate, r, sizeof(r));
    long eta = rate > 0 && total > done ? (long)((double)(total - done) / rate) : 0;
    fprintf(p->out, "\r[%s] %3d%% %s / %s, %s/s, ETA %ld:%02ld \033[K", bar, (int)(frac * 100), d,
            t, r, eta / 60, eta % 60);
    fflush(p->out);
    p->drawn = 1;
}

void progress_update(void *ctx, uint64_t done, uint64_t total)
{
    struct progress *p = ctx;
    double now = progress_now();
    if (!p || (now - p->last_draw < 0.1 && done < total))
        return;
    p->last_draw = now;
    draw(p, done, total, now);
}

void progress_free(struct progress *p)
{
    if (p && p->drawn) {
        fputs("\r\033[K", p->out);
        fflush(p->out);
    }
    free(p);
}
