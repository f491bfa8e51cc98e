"""Thai copy for photos people send (products, survey answers, announcements, console uploads)."""

IMAGE_EMPTY = "ไม่พบไฟล์รูปภาพ กรุณาส่งใหม่อีกครั้งค่ะ"
IMAGE_TOO_MANY_BYTES = "รูปใหญ่เกินไป (เกิน {mb} MB) กรุณาส่งรูปที่เล็กลงค่ะ"
IMAGE_TOO_LARGE = "ขออภัยค่ะ รูปนี้ใหญ่เกินไป (ความละเอียดสูงเกินไป) กรุณาย่อรูปหรือส่งรูปที่เล็กลงนะคะ"
IMAGE_UNREADABLE = "ไฟล์นี้ไม่ใช่รูปภาพที่ระบบอ่านได้ กรุณาส่งรูปแบบ JPG หรือ PNG ค่ะ"
IMAGE_FORMAT = "รองรับเฉพาะรูป JPG, PNG หรือ WebP ค่ะ"
IMAGE_TOO_SMALL = "รูปเล็กเกินไป กรุณาส่งรูปที่ชัดกว่านี้ค่ะ"
IMAGE_CORRUPT = "ไฟล์รูปเสียหรือไม่สมบูรณ์ กรุณาส่งใหม่อีกครั้งค่ะ"
