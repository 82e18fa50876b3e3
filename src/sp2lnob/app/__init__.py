"""sp2lnob.app"""
