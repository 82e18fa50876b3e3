"""sp2lnob.survey"""
