/// `lookout replay`: the keys that steer the replay's clock. `>` / `<` step the speed, and `p`
/// pauses the clock as well as the updates.
public protocol ReplayControl: AnyObject, Sendable {
    /// One step faster (+1) or slower (-1) through the replay's speeds.
    func changeSpeed(by steps: Int)
    func setPaused(_ paused: Bool)
}
