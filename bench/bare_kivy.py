"""The baseline: a bare Kivy app showing one label, same window size and font."""

import sys

from kivy.config import Config

Config.set("graphics", "width", "540")
Config.set("graphics", "height", "960")
from kivy.core.text import DEFAULT_FONT, LabelBase  # noqa: E402

LabelBase.register(DEFAULT_FONT, sys.argv[1])
from kivy.app import App  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.graphics.opengl import glFinish  # noqa: E402
from kivy.uix.label import Label  # noqa: E402


class Bare(App):
    def build(self):
        Window.bind(on_flip=self.flipped)
        return Label(text="请触摸屏幕开始")

    def flipped(self, *_a):
        Window.unbind(on_flip=self.flipped)
        glFinish()  # as the kiosk does: the frame drawn, not only asked for
        print("ready: label drawn", flush=True)


Bare().run()
