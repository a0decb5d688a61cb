"""The build's stages, one module each, run in order by `videonews.pipeline`:

    ingest     story folder             -> Ingested (story, article, probe, photo, font, credits)
    analyze    Ingested                 -> Analysis (speech, loudness, approximate cuts)
    plan       Ingested, Analysis       -> StoryPlan (cues, lint, render plan: data only)
    subtitles  StoryPlan                -> SubtitleFiles (SRT, WebVTT, TTML, the ASS script)
    render     StoryPlan, SubtitleFiles -> Rendered (master, preview, candidates, exact cuts)
    thumbnails Rendered candidates      -> Thumbnails (poster, crops, contact sheet)
    photo      Ingested                 -> PhotoOutputs (renditions, photo clip), beside the render
    package    all of the above         -> Manifest (and the structured data)

See ARCHITECTURE.md for how to add one.
"""
