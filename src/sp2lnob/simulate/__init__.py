"""sp2lnob.simulate"""
