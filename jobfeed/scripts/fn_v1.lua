-- Step 1 of jobfeed.migrations: a bare integer chat id becomes the address
-- "<channel>:<chat id>". as_address() answers nil for anything else (an address already:
-- each step-1 script can run any number of times).
local function as_address(channel, text)
  if text and text:match('^%-?%d+$') then return channel .. ':' .. text end
  return nil
end
