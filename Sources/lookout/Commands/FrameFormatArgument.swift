import App
import ArgumentParser

extension FrameFormat: ExpressibleByArgument {}
