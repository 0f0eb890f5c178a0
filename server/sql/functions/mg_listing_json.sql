-- The API's view of a listing: the item's name in p_lang (else the catalog's own), the seller's nickname.
CREATE OR REPLACE FUNCTION mg_listing_json(l market_listings, p_lang text) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', l.id, 'itemId', l.item_id, 'itemName', COALESCE(i.names ->> p_lang, i.name), 'price', l.price,
    'sellerId', l.seller_id, 'sellerNickname', p.nickname, 'status', l.status,
    'createdAt', mg_iso(l.created_at), 'expiresAt', mg_iso(l.expires_at))
  FROM items i, players p WHERE i.id = l.item_id AND p.id = l.seller_id
$$;
