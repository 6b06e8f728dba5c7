-- how a video was made, from video.rendered (writer, voice engine, caption timing, fallbacks, quality figures) as JSON text
alter table projects add column provenance text;
