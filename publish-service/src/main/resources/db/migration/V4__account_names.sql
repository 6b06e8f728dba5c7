-- the readable name the platform gives a connected account (YouTube channel title, TikTok/Instagram username)
alter table accounts add column account_name text;
