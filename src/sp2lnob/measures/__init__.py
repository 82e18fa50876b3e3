"""sp2lnob.measures"""
