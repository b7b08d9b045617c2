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
        #expect(clock.nextCheck(now: 500) == 1100)
        // The next batch starts at 5000: a frame due at 4900 waits for its answers, 250 ms at most.
        clock.drew(at: 3900)
        #expect(!clock.due(now: 4900, schedule: schedule, paused: false))
        #expect(clock.nextCheck(now: 4900) == 5150)
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
}
