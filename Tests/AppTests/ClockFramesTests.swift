import Testing
@testable import App

@Suite struct ClockFramesTests {
    @Test func oneFrameASecondWhenAnswersComeEverySecond() {
        // Scrapes land at x.400 every second, a batch starts then and answers 30 ms later.
        var schedule = RefreshSchedule(intervalMs: 1000)
        var clock = ClockFrames()
        var frames: [Int64] = []
        var t: Int64 = 0
        while t < 10_000 {
            if t % 1000 == 400 { #expect(schedule.start(now: t, paused: false).started) }
            var dirty = false
            if t % 1000 == 430 { schedule.finished(); dirty = true }
            if dirty || clock.due(now: t, schedule: schedule, paused: false) {
                frames.append(t)
                clock.drew(at: t)
            }
            t += 10
        }
        // The first frame at once, then only the answers' frames.
        #expect(frames == [0] + (0..<10).map { Int64($0) * 1000 + 430 })
    }

    @Test func withoutAnswersTheClockStillTicksEverySecond() {
        var schedule = RefreshSchedule(intervalMs: 5000)
        _ = schedule.start(now: 0, paused: false)
        schedule.finished()
        var clock = ClockFrames()
        clock.drew(at: 100)
        #expect(!clock.due(now: 1099, schedule: schedule, paused: false))
        #expect(clock.due(now: 1100, schedule: schedule, paused: false))
        #expect(clock.nextCheck(now: 500, schedule: schedule, paused: false) == 1100)
        // The next batch starts at 5000: a frame due at 4900 waits for its answers, 250 ms at most.
        clock.drew(at: 3900)
        #expect(!clock.due(now: 4900, schedule: schedule, paused: false))
        #expect(clock.nextCheck(now: 4900, schedule: schedule, paused: false) == 5150)
        #expect(clock.nextCheck(now: 4000, schedule: schedule, paused: false) == 5150)
        #expect(clock.nextCheck(now: 4000, schedule: schedule, paused: true) == 4900)
        #expect(clock.due(now: 5150, schedule: schedule, paused: false))
        // Paused: nothing is coming, the clock draws on time.
        #expect(clock.due(now: 4900, schedule: schedule, paused: true))
    }

    @Test func aBatchThatHangsDoesNotStopTheClock() {
        var schedule = RefreshSchedule(intervalMs: 1000)
        _ = schedule.start(now: 1000, paused: false)
        var clock = ClockFrames()
        clock.drew(at: 0)
        #expect(!clock.due(now: 1100, schedule: schedule, paused: false))
        #expect(clock.due(now: 1250, schedule: schedule, paused: false))
    }

    @Test func aSecondWaitingForItsScrapeCostsNoWakeUp() {
        // The loop as `DashboardSession` runs it: it sleeps until the next event or `nextCheck`.
        // Scrapes land 1,010 or 1,050 ms apart (as curl's answers do), each starts a batch at
        // once, and its answers draw 2 ms later; so the clock's second often ends just before the
        // next scrape lands, and that frame is held for it.
        var schedule = RefreshSchedule(intervalMs: 1000)
        var clock = ClockFrames()
        var landings: [Int64] = []
        var t: Int64 = 400
        for k in 0..<20 { landings.append(t); t += k % 2 == 0 ? 1010 : 1050 }
        var answerAt: Int64?
        var now: Int64 = 0
        var frames: [Int64] = [], idle = 0
        clock.drew(at: 0)
        while let landing = landings.first ?? answerAt {
            let check = clock.nextCheck(now: now, schedule: schedule, paused: false)
            now = min(check, landing, answerAt ?? .max)
            var dirty = false
            if now == landings.first {
                landings.removeFirst()
                #expect(schedule.start(now: now, paused: false).started)
                answerAt = now + 2
            } else if now == answerAt {
                schedule.finished()
                answerAt = nil
                dirty = true
            }
            if dirty || clock.due(now: now, schedule: schedule, paused: false) {
                frames.append(now)
                clock.drew(at: now)
            } else if now == check {
                idle += 1
            }
        }
        // One frame a scrape, each with its answers, and no wake-up that found nothing to do.
        #expect(frames.count == 20)
        #expect(idle == 0)
    }
}
