"""sp2lnob.performance"""
